-- attack: gmatch over a long string with a backtracking pattern per position.
-- expect: fuel
local s = string.rep("ab", 100000)
local n = 0
for a in s:gmatch("(.-)(.-)(.-)c") do n = n + 1 end
print(n)
