-- attack: allocating many small live tables.
-- expect: not enough memory
-- fuel: 200000000
local keep = {}
while true do keep[#keep + 1] = { 1, 2, 3, a = 1 } end
