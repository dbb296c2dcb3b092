-- attack: finalizers that raise errors of every kind (must become warnings, not crashes).
-- expect: ok
local objects = {}
for _, e in ipairs { "str", 42, {}, setmetatable({}, { __tostring = function() error("x") end }) } do
  setmetatable({}, { __gc = function() error(e) end })
end
collectgarbage()
collectgarbage()
