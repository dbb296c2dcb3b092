-- attack: table.concat of a million one-byte strings, repeatedly.
-- expect: fuel
local t = {}
for i = 1, 1000000 do t[i] = "x" end
for i = 1, 1000 do local s = table.concat(t, ",") end
