-- attack: allocating many live suspended coroutines, each with its own stack.
-- expect: not enough memory
-- fuel: 200000000
local keep = {}
while true do
  local co = coroutine.create(function(...) local a, b, c = ...; coroutine.yield(a) end)
  coroutine.resume(co, 1, 2, 3)
  keep[#keep + 1] = co
end
