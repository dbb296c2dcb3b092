-- attack: __tostring that prints itself through print and string.format.
-- expect: stack overflow
local t
t = setmetatable({}, { __tostring = function(self) return string.format("%s", self) end })
print(t)
