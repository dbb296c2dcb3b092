-- attack: exponential-ish pattern backtracking (O(n^k) with k lazy quantifiers).
-- expect: fuel
local s = string.rep("a", 100000)
print(string.find(s, ".-.-.-.-.-.-b"))
