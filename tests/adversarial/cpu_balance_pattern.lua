-- attack: %b and %f patterns over long unbalanced input, tried at every position.
-- expect: fuel
local s = string.rep("(", 300000)
print(s:find("%b()"))
print(s:find("%f[%a]x"))
