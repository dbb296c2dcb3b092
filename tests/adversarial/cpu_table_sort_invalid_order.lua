-- attack: table.sort with an inconsistent comparator (must not loop or index out of bounds).
-- expect: invalid order function for sorting
local t = {}
for i = 1, 10000 do t[i] = i % 13 end
table.sort(t, function(a, b) return true end)
