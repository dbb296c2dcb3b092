-- attack: string.byte/char over maximal ranges, repeatedly.
-- expect: fuel
local s = string.rep("x", 100000)
for i = 1, 1e6 do
  local t = { s:byte(1, -1) }
  local u = string.char(table.unpack(t))
end
