-- attack: deeply nested parentheses in source text.
-- expect: ok
local f, err = load("return " .. string.rep("(", 100000) .. "1" .. string.rep(")", 100000))
assert(not f and err:find("overflow") or err:find("levels"), err)
print(err)
