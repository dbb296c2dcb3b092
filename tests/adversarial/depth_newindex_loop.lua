-- attack: a __newindex loop.
-- expect: '__newindex' chain too long
local a, b = {}, {}
setmetatable(a, { __newindex = b })
setmetatable(b, { __newindex = a })
a.x = 1
