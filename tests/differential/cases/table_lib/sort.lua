-- table.sort: default order, comparators, strings, errors (deterministic cases only:
-- distinct keys, or equal keys that are indistinguishable, arrays under 100 elements).
local function show(t) local p = {} for i = 1, #t do p[i] = tostring(t[i]) end return table.concat(p, " ") end
local t = {5, 2, 8, 1, 9, 3, 7, 4, 6, 0}
table.sort(t); print(show(t))
table.sort(t, function(a, b) return a > b end); print(show(t))
local s = {"banana", "apple", "Cherry", "date", "Apple", "", "b"}
table.sort(s); print(show(s))
local mixed = {3.5, 1, 2.25, -1, 0, 2^53, -0.5, math.huge, -math.huge, math.mininteger, math.maxinteger}
table.sort(mixed); print(show(mixed))
local dup = {3, 1, 2, 3, 1, 2, 3, 1, 2}
table.sort(dup); print(show(dup))
local recs = {}
for i, name in ipairs({"eve", "bob", "amy", "dan", "cat"}) do recs[i] = {name = name, age = 20 + (i * 7) % 5} end
table.sort(recs, function(a, b) return a.name < b.name end)
local names = {} for i, r in ipairs(recs) do names[i] = r.name end
print(table.concat(names, " "))
table.sort(recs, function(a, b) if a.age ~= b.age then return a.age < b.age end return a.name < b.name end)
names = {} for i, r in ipairs(recs) do names[i] = r.name .. r.age end
print(table.concat(names, " "))
local big = {}
for i = 1, 90 do big[i] = (i * 37) % 91 end
table.sort(big)
print(big[1], big[45], big[90], show({table.unpack(big, 1, 10)}))
local strnums = {}
for i = 1, 50 do strnums[i] = tostring((i * 13) % 51) end
table.sort(strnums)
print(show({table.unpack(strnums, 1, 12)}))
local e = {} table.sort(e) print(#e)
local single = {1} table.sort(single) print(show(single))
local two = {2, 1} table.sort(two) print(show(two))
print(pcall(table.sort, {3, 2, 1}, 42))
print(pcall(table.sort))
print(pcall(table.sort, {3, 2, 1}, function(a, b) error("cmp error") end))
local cmp_calls = 0
local counted = {4, 3, 2, 1}
table.sort(counted, function(a, b) cmp_calls = cmp_calls + 1; return a < b end)
print(show(counted), cmp_calls > 0)
local objs = {}
local mt = {__lt = function(a, b) return a.v < b.v end}
for i, v in ipairs({3, 1, 2}) do objs[i] = setmetatable({v = v}, mt) end
table.sort(objs)
print(objs[1].v, objs[2].v, objs[3].v)
local rev = {}
for i = 1, 99 do rev[i] = 100 - i end
table.sort(rev)
print(rev[1], rev[50], rev[99])
local sorted = {}
for i = 1, 99 do sorted[i] = i end
table.sort(sorted, function(a, b) return a > b end)
print(sorted[1], sorted[50], sorted[99])
local proxy = setmetatable({}, {__index = {3, 1, 2}, __len = function() return 3 end})
print(pcall(table.sort, proxy))
print(rawget(proxy, 1), rawget(proxy, 2), rawget(proxy, 3))
