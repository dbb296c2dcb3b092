-- next, ipairs, pairs over sequences (array order is not observed on hash keys).
local t = {10, 20, 30, nil, 50}
for i, v in ipairs(t) do print("ipairs", i, v) end
print(next({}), next({}, nil), type(next), select("#", next({})))
local one = {k = "v"}
print(next(one))
print(next(one, "k"))
print(pcall(next, one, "missing"))
print(pcall(next, {}, 1))
print(pcall(next))
print(pcall(next, 1))
print(pcall(ipairs))
print(select("#", ipairs(nil)), select(3, ipairs(nil)))
local proxy = setmetatable({}, {__index = function(_, i) if i <= 3 then return i * i end end})
for i, v in ipairs(proxy) do print("ipairs via __index", i, v) end
local f, s, init = ipairs({})
print(type(f), type(s), init)
local p1, p2, p3 = pairs({})
print(p1 == next, type(p2), p3)
local sum, count = 0, 0
local big = {}
for i = 1, 100 do big[i] = i end
for k, v in pairs(big) do sum = sum + v; count = count + 1 end
print(sum, count)
local keys = {}
for k in pairs({a = 1, b = 2, c = 3, d = 4, 1, 2}) do keys[#keys + 1] = tostring(k) end
table.sort(keys)
print(table.concat(keys, ","))
local clear = {a = 1, b = 2, c = 3}
for k in pairs(clear) do clear[k] = nil end
print(next(clear))
local mutate = {x = 1, y = 2, z = 3}
for k, v in pairs(mutate) do mutate[k] = v * 10 end
print(mutate.x, mutate.y, mutate.z)
local stops = {1, 2, nil, 4}
local n = 0
for _ in ipairs(stops) do n = n + 1 end
print("ipairs stops at the first nil", n)
print(rawlen({1, 2}), rawlen("abcd"), pcall(rawlen, 5))
print(rawget({5}, 1), rawget({}, "x"), pcall(rawget, "s", 1))
print(pcall(rawset, 1, 1, 1), rawequal(rawset({}, 1, 2)[1], 2))
