-- attack: tonumber/tostring on very long numerals, repeatedly.
-- expect: fuel
local s = string.rep("1", 8000000)
for i = 1, 1000 do local n = tonumber(s); local z = tonumber("0x" .. s) end
