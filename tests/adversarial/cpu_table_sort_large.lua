-- attack: sorting a large array with a Lua comparator many times.
-- expect: fuel
local t = {}
for i = 1, 200000 do t[i] = (i * 7919) % 200003 end
for k = 1, 100 do table.sort(t, function(a, b) return a > b end) end
