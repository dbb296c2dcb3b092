-- attack: linear string functions (upper, lower, reverse, sub) on big strings in a loop.
-- expect: fuel
local s = string.rep("abc", 5000000)
for i = 1, 1e6 do s = s:upper():lower():reverse() end
