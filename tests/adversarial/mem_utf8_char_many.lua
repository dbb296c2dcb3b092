-- attack: utf8.char with many arguments of maximal size, kept alive.
-- expect: not enough memory | fuel exhausted
local args = {}
for i = 1, 100000 do args[i] = 0x7FFFFFFF end
local keep = {}
while true do keep[#keep + 1] = utf8.char(table.unpack(args)) end
