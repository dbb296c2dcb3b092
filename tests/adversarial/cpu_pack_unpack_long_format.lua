-- attack: string.pack/unpack with very long format strings.
-- expect: fuel
local fmt = string.rep("i1", 200000)
local args = {}
for i = 1, 200000 do args[i] = i % 100 end
for i = 1, 1000 do
  local packed = string.pack(fmt, table.unpack(args, 1, 200000))
  string.unpack(fmt, packed)
end
