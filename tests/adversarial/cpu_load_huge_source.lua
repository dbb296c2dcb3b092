-- attack: compiling a very large chunk many times (compilation must pay fuel).
-- expect: fuel
local src = string.rep("local a = 1 + 2 * 3; ", 200000)
for i = 1, 1000 do load(src) end
