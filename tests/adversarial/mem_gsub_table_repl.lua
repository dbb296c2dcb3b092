-- attack: gsub whose replacement table maps every byte to a 1 MiB string.
-- expect: not enough memory
local big = string.rep("q", 1 << 20)
local s = string.rep("a", 1000)
local r = s:gsub(".", { a = big })
