-- attack: a 100000-long __index chain through tables.
-- expect: '__index' chain too long
local t = {}
for i = 1, 100000 do t = setmetatable({}, { __index = t }) end
return t.missing
