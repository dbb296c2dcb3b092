-- Functions that Debian's lua5.4 (built with LUA_COMPAT_5_3) still provides.
local function p(...) local t = {} for i = 1, select("#", ...) do t[i] = string.format("%.10g", (select(i, ...))) end print(table.concat(t, " ")) end
print(type(math.atan2), math.atan2(1, 1) == math.atan(1, 1), type(math.pow), type(math.cosh), type(math.sinh), type(math.tanh), type(math.frexp), type(math.ldexp), type(math.log10))
p(math.pow(2, 10), math.pow(2, 0.5), math.pow(-2, 3))
p(math.cosh(0), math.cosh(1), math.sinh(0), math.sinh(1), math.tanh(0), math.tanh(1), math.tanh(100))
print(math.frexp(8), math.frexp(0), math.frexp(-3), math.frexp(0.1))
print(math.ldexp(1, 10), math.ldexp(0.5, 1), math.ldexp(3, -2), math.ldexp(1, 1024))
p(math.log10(1000), math.log10(2), math.log10(0.01))
print(pcall(math.pow, 2))
print(pcall(math.ldexp, 1, 1.5))
print(type(unpack), type(loadstring), type(table.getn), type(setfenv), type(math.mod), type(bit32))
