-- Transcendental functions printed with %.10g (libm and glibc may differ in the last bits).
local function p(...) local t = {} for i = 1, select("#", ...) do t[i] = string.format("%.10g", (select(i, ...))) end print(table.concat(t, " ")) end
p(math.sin(1), math.sin(-1), math.sin(math.pi / 6), math.sin(100), math.sin(1e-10))
p(math.cos(1), math.cos(-1), math.cos(math.pi / 3), math.cos(100), math.cos(math.pi))
p(math.tan(1), math.tan(-1), math.tan(math.pi / 4), math.tan(1.5), math.tan(100))
p(math.asin(0.5), math.asin(-1), math.acos(0.5), math.acos(-1), math.acos(0))
p(math.atan(1), math.atan(-1), math.atan(1, 1), math.atan(1, -1), math.atan(-1, -1), math.atan(1e10))
p(math.atan(1, 2), math.atan(-3, 4), math.atan(0.5), math.atan(math.huge), math.atan(-math.huge, 1))
p(math.exp(1), math.exp(-1), math.exp(10), math.exp(0.5), math.exp(700), math.exp(-700))
p(math.log(2), math.log(10), math.log(0.5), math.log(1e100), math.log(2, 10), math.log(10, 2))
p(math.log(100, 3), math.log(0.001, 10), math.log(7, 7), math.log(5, 0.5), math.log(1e-300))
p(math.sqrt(2), math.sqrt(3), math.sqrt(0.5), math.sqrt(1e-300), math.sqrt(12345.678))
p(2^0.5, 2^1.5, 10^0.25, 1.5^2.5, 0.5^-3.5, 7^(1/3))
p(math.fmod(10.5, 3.2), math.fmod(-10.5, 3.2), math.fmod(1e15, 7.3), math.fmod(math.pi, 1))
p(math.deg(1), math.rad(1), math.deg(-2.5), math.rad(720))
p(math.sin(1) ^ 2 + math.cos(1) ^ 2, math.exp(math.log(5)), math.log(math.exp(3)))
p(math.pi, math.pi * 2, math.pi / 2, -math.pi)
print(math.asin(2) ~= math.asin(2), math.acos(-2) ~= math.acos(-2), math.log(-1) ~= math.log(-1), math.sqrt(-4) ~= math.sqrt(-4))
local acc = 0
for i = 1, 1000 do acc = acc + math.sin(i) * math.cos(i / 2) end
p(acc)
local prod = 1
for i = 1, 50 do prod = prod * (1 + 1 / i) end
p(prod)
print(string.format("%.17g %.17g %.17g", 0.1 * 3, 1 / 3 * 3, 2 / 3 + 1 / 3))
print(string.format("%.17g %.17g %.17g", 1e16 + 1, 1.1 * 1.1, 123.456 * 1000))
print(string.format("%.17g %.17g", 7 / 3, 2^-30))
print(string.format("%.17g %.17g %.17g", math.sqrt(2), math.sqrt(10), math.sqrt(1e-5)))
