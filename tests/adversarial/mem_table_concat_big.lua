-- attack: table.concat whose result is far larger than the limit.
-- expect: not enough memory
local piece = string.rep("z", 1 << 20)
local t = {}
for i = 1, 10000 do t[i] = piece end
local s = table.concat(t)
