-- attack: string.rep of the empty string a huge number of times (PUC loops n times).
-- expect: ok
local s = string.rep("", math.maxinteger)
local t = string.rep("", 1 << 40, "")
assert(s == "" and t == "")
