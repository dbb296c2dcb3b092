-- attack: tampering with the string metatable and the shared library tables.
-- expect: ok
local mt = getmetatable("")
assert(mt == nil or type(mt) ~= "table" or pcall(function() mt.__index = {} end) or true)
pcall(function() string.len = function() return 42 end end)
pcall(rawset, string, "x", 1)
pcall(setmetatable, string, {})
