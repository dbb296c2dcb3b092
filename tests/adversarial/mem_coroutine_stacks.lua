-- attack: deep recursion inside many coroutines to grow their stacks, all kept alive.
-- expect: not enough memory
-- fuel: 400000000
local function deep(n) if n == 0 then coroutine.yield() return 0 end return 1 + deep(n - 1) end
local keep = {}
while true do
  local co = coroutine.create(deep)
  coroutine.resume(co, 5000)
  keep[#keep + 1] = co
end
