-- attack: __tostring that calls tostring on itself (Rust re-entry through a library).
-- expect: stack overflow
local t = setmetatable({}, { __tostring = function(self) return tostring(self) end })
print(tostring(t))
