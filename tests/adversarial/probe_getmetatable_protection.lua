-- attack: __metatable protection and metatable swaps on shared values.
-- expect: ok
local t = setmetatable({}, { __metatable = "locked" })
assert(getmetatable(t) == "locked")
assert(not pcall(setmetatable, t, {}))
assert(getmetatable("").__metatable == nil or true)
