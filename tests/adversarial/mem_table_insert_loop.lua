-- attack: table.insert at the front of a growing table.
-- expect: fuel
local t = {}
while true do table.insert(t, 1, "x") end
