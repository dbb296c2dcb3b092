-- attack: gsub with an empty pattern matches at every position of a long string.
-- expect: fuel
local s = string.rep("x", 4000000)
local r, n = s:gsub("", "")
for i = 1, 100 do r, n = r:gsub("", "") end
