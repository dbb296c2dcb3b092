-- NaN: how it prints (the sign bit shows on x86: 0/0 is "-nan"), compares and converts.
local nan = 0 / 0
print(nan, -nan, -(0 / 0), math.huge - math.huge, math.huge * 0)
print(tostring(nan), nan .. "", string.format("%f %g %e", nan, nan, nan))
print(string.format("%q", nan), string.format("%q", -nan))
print(nan == nan, nan ~= nan, nan < nan, nan <= nan, nan > 1, nan < 1)
print(math.type(nan), math.tointeger(nan), math.floor(1.5) == 1, pcall(math.floor, nan))
print(math.max(nan, 1), math.max(1, nan), math.min(nan, 1), math.min(1, nan))
print(math.abs(nan) ~= math.abs(nan), math.fmod(1, 0.0) ~= math.fmod(1, 0.0))
print(pcall(function() return nan | 0 end))
print(pcall(function() return math.tointeger(nan) end))
print(string.format("%.3f", 0 / 0) == string.format("%.3f", nan))
local t = {}
print(pcall(function() t[nan] = 1 end))
print(t[nan], rawget(t, nan))
print(pcall(rawset, t, nan, 1))
