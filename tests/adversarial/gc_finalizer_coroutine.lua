-- attack: finalizers that yield or resume coroutines.
-- expect: ok
local co = coroutine.create(function() while true do coroutine.yield() end end)
for i = 1, 50 do
  setmetatable({}, { __gc = function() coroutine.resume(co); coroutine.yield() end })
end
collectgarbage()
local co2 = coroutine.wrap(function() setmetatable({}, { __gc = function() coroutine.yield() end }); collectgarbage(); return 1 end)
print(pcall(co2))
