-- attack: arithmetic metamethods recursing through other metamethods.
-- expect: stack overflow
local mt = {}
mt.__add = function(a, b) return a - b end
mt.__sub = function(a, b) return a * b end
mt.__mul = function(a, b) return a + b end
local x = setmetatable({}, mt)
return x + 1
