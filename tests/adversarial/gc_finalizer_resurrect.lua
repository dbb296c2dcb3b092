-- attack: finalizers that resurrect their objects into globals and allocate a lot.
-- expect: not enough memory
-- fuel: 400000000
saved = {}
local mt = { __gc = function(o) saved[#saved + 1] = o; o.blob = string.rep("r", 10000) .. #saved end }
while true do setmetatable({}, mt) end
