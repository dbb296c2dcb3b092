-- attack: an __index function that indexes itself again.
-- expect: stack overflow
local t = setmetatable({}, { __index = function(t, k) return t[k .. ""] end })
return t.x
