-- attack: print with many huge arguments (a buffer gathering them all would be far larger
-- than the memory limit) and print in a loop (output must cost fuel per byte).
-- expect: fuel exhausted
local s = string.rep("p", 1 << 24)
local args = {}
for i = 1, 1000 do args[i] = s end
print(table.unpack(args))
