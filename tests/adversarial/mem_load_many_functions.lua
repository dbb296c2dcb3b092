-- attack: compiling many chunks and keeping them (compiled code must count).
-- expect: not enough memory
-- fuel: 400000000
local src = string.rep("a = {1,2,3,4,5,6,7,8}; ", 1000)
local keep = {}
while true do keep[#keep + 1] = assert(load(src .. " -- " .. #keep)) end
