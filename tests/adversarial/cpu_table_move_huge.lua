-- attack: table.move over a gigantic range of nils.
-- expect: fuel
local t = {}
table.move(t, 1, 1 << 50, 2)
