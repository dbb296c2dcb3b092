-- attack: a long chain of suspended coroutines, each holding the previous one, then a collection.
-- expect: ok
-- fuel: 100000000
local co = nil
for i = 1, 100000 do
  local prev = co
  co = coroutine.create(function() coroutine.yield(prev) end)
  coroutine.resume(co)
end
collectgarbage()
