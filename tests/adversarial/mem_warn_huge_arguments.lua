-- attack: warn concatenates its arguments: many huge ones must hit the memory limit
-- (or the fuel limit) instead of growing a host buffer without bound.
-- expect: not enough memory | fuel exhausted
-- fuel: 1000000000
local s = string.rep("w", 1 << 24)
local args = {}
for i = 1, 1000 do args[i] = s end
warn(table.unpack(args))
