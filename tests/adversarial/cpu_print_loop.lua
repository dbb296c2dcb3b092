-- attack: a loop printing a large string: each call writes 4 MiB for a few instructions.
-- expect: fuel exhausted
local s = string.rep("o", 1 << 22)
while true do print(s) end
