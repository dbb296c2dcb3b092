-- attack: growing the array part of a table without bound.
-- expect: not enough memory
-- fuel: 200000000
local t = {}
local i = 1
while true do t[i] = i; i = i + 1 end
