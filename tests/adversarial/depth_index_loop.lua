-- attack: an __index loop (a table is its own __index).
-- expect: '__index' chain too long
local t = {}
setmetatable(t, { __index = t })
local mt = getmetatable(t)
mt.__index = setmetatable({}, mt)
return t.x
