-- attack: growing the hash part of a table with float keys without bound.
-- expect: not enough memory
-- fuel: 200000000
local t = {}
local i = 0.5
while true do t[i] = true; i = i + 1 end
