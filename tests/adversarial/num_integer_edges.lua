-- attack: integer overflow edges in arithmetic, conversion and formatting.
-- expect: ok
local min, max = math.mininteger, math.maxinteger
assert(min // -1 == min)
assert(min % -1 == 0)
assert(max + 1 == min)
assert(math.abs(min) == min)
assert(math.fmod(min, -1) == 0)
assert(not pcall(function() return 1 // 0 end))
assert(not pcall(function() return 1 % 0 end))
assert(math.tointeger(2^63) == nil)
assert(string.format("%d", 3.0) == "3")
assert(not pcall(string.format, "%d", 2^63))
assert(tostring(-0.0) == "-0.0")
assert(math.ult(min, max) == false)
assert(min >> 63 == 1 and 1 << 64 == 0 and 1 << -1 == 0)
assert(tonumber("0x" .. string.rep("f", 100)) == -1)
assert(tonumber("9223372036854775808") == 2^63)
assert(math.random(min, max))
for i = max - 2, max do end
for i = min + 2, min, -1 do end
local runs = 0
for i = 1, 0, min do runs = runs + 1 end
assert(runs == 1)
assert(not pcall(function() for i = 1, 10, 0 do end end))
