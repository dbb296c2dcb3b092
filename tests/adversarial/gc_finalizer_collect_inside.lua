-- attack: finalizers that call collectgarbage themselves (re-entrant collection).
-- expect: ok
local n = 0
for i = 1, 100 do
  setmetatable({}, { __gc = function() n = n + 1; collectgarbage(); collectgarbage("step") end })
end
collectgarbage()
collectgarbage()
print(n)
