-- attack: very long flat (left-associative) expressions and statement lists.
-- expect: ok
-- fuel: 200000000
local f = assert(load("return 1" .. string.rep(" + 1", 200000)))
print(f())
local g = load("local x = 0 " .. string.rep("x = x + 1 ", 200000) .. " return x")
print(g and g())
