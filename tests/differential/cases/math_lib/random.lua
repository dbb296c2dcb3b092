-- math.random with a fixed seed: xoshiro256** exactly as Lua 5.4 does it.
math.randomseed(42)
local ints = {}
for i = 1, 20 do ints[i] = math.random(1, 100) end
print(table.concat(ints, " "))
local floats = {}
for i = 1, 8 do floats[i] = string.format("%.17g", math.random()) end
print(table.concat(floats, " "))
print(math.random(10), math.random(10), math.random(10), math.random(1), math.random(-5, -5))
print(math.random(0), math.random(0), math.random(math.mininteger, math.maxinteger))
print(math.random(-10, 10), math.random(0, 1), math.random(3.0), math.random(1, 2^53))
math.randomseed(42)
local again = {}
for i = 1, 20 do again[i] = math.random(1, 100) end
print(table.concat(again, " ") == table.concat(ints, " "))
math.randomseed(0)
print(math.random(1000), math.random(1000), math.random(0))
math.randomseed(1, 2)
print(math.random(1000), math.random(1000), math.random(0))
math.randomseed(-1)
print(math.random(1000000), string.format("%.17g", math.random()))
math.randomseed(2^53)
print(math.random(1000000))
math.randomseed(123.0)
print(math.random(1000000))
math.randomseed(7)
local hist = {0, 0, 0, 0, 0, 0}
for _ = 1, 6000 do local r = math.random(6); hist[r] = hist[r] + 1 end
print(table.concat(hist, " "))
math.randomseed(99)
local t = {}
for i = 1, 10 do t[i] = i end
for i = #t, 2, -1 do local j = math.random(i); t[i], t[j] = t[j], t[i] end
print(table.concat(t, " "))
print(pcall(math.random, 2, 1))
print(pcall(math.random, 0.5))
print(pcall(math.random, 1, 2, 3))
print(pcall(math.random, "x"))
print(pcall(math.random, math.maxinteger + 0.0))
print(pcall(math.randomseed, "x"))
print(pcall(math.random, 1, 1.5))
print(math.random(math.maxinteger) > 0, math.random(math.mininteger, -1) < 0)
print(math.randomseed(5))
print(math.randomseed(-3, 7))
print(math.randomseed(2.0^40))
print(select("#", math.randomseed()))
