-- attack: float edge cases: infinities, NaN keys, huge precision formats.
-- expect: ok
local inf, nan = 1 / 0, 0 / 0
assert(not pcall(function() local t = {}; t[nan] = 1 end))
assert(({})[nan] == nil)
assert(string.format("%.99f", 1e308):len() > 300)
assert(string.format("%99.99f", -1e308):len() > 300)
assert(string.format("%a", 1.0))
assert(tostring(inf) == "inf" and tostring(-inf) == "-inf")
assert(math.floor(-0.0) == 0)
assert(not pcall(math.floor, nan) or true)
assert(math.fmod(1, inf) == 1)
assert(inf // 1 == inf)
assert(not pcall(string.rep, "x", inf))
assert(not pcall(string.rep, "x", nan))
assert(not pcall(table.concat, {}, "", 1, inf))
for i = 1, 3, 0.5 do end
assert(not pcall(function() for i = 1, 3, 0.0 do end end))
for i = 1e308, inf, 1e308 do break end
print(2^1023 * 2, -(2^1023 * 2), math.huge % 2, 5 % math.huge, -5 % math.huge)
