-- attack: table.move of a big array to a far-away index (hash part growth).
-- expect: not enough memory
-- fuel: 200000000
local t = {}
for i = 1, 1000000 do t[i] = i end
for k = 1, 100 do table.move(t, 1, 1000000, k * (1 << 40)) end
