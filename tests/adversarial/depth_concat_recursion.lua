-- attack: a __concat metamethod that concatenates its operands again.
-- expect: stack overflow
local mt = {}
mt.__concat = function(a, b) return a .. b end
local a = setmetatable({}, mt)
return a .. "x"
