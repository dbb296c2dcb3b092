-- attack: select and table.pack/unpack over huge varargs, repeatedly.
-- expect: fuel
local t = {}
for i = 1, 200000 do t[i] = i end
for i = 1, 1e6 do
  local p = table.pack(table.unpack(t))
  local n = select("#", table.unpack(p, 1, p.n))
end
