-- attack: greedy backtracking on a long subject with no match, quadratic per call.
-- expect: fuel
local s = string.rep("a", 200000)
print(s:match("a*a*a*a*a*c"))
