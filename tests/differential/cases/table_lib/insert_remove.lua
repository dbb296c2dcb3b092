-- table.insert / table.remove / table.concat / table.pack / table.unpack / table.move.
local function show(t, n) local p = {} for i = 1, n or #t do p[i] = tostring(t[i]) end return "{" .. table.concat(p, ",") .. "}" end
local t = {1, 2, 3}
table.insert(t, 4); print(show(t))
table.insert(t, 1, 0); print(show(t))
table.insert(t, 3, "mid"); print(show(t))
table.insert(t, #t + 1, "end"); print(show(t))
print(pcall(table.insert, t, 0, "x"))
print(pcall(table.insert, t, #t + 2, "x"))
print(pcall(table.insert, t, 1, 2, 3))
print(pcall(table.insert, t))
print(pcall(table.insert, nil, 1))
print(pcall(table.insert, t, "2", "x"), show(t))
print(pcall(table.insert, t, 1.5, "x"))
local r = {1, 2, 3, 4}
print(table.remove(r), show(r))
print(table.remove(r, 1), show(r))
print(table.remove(r, #r + 1), show(r))
print(pcall(table.remove, r, #r + 2))
print(pcall(table.remove, r, -1))
local e = {}
print(table.remove(e), table.remove(e, 0), table.remove(e, 1), #e)
print(pcall(table.remove, e, 2))
local z = {[0] = "zero"}
print(table.remove(z, 0), z[0])
local one = {"only"}
print(table.remove(one, 1), #one, table.remove(one))
print(table.concat({1, 2, 3}), table.concat({1, 2, 3}, ", "), table.concat({1, 2, 3}, "-", 2), table.concat({1, 2, 3}, "-", 2, 3))
print(table.concat({}), table.concat({}, "x"), table.concat({1, 2}, "x", 3), table.concat({"a"}, "x", 1, 1))
print(table.concat({1.5, 2, "s"}, " "), table.concat({1, 2, 3}, "", 3, 1))
print(pcall(table.concat, {1, {}, 3}))
print(pcall(table.concat, {1, nil, 3}, ",", 1, 3))
print(pcall(table.concat, {true}))
print(pcall(table.concat, {1, 2}, ",", 1, 5))
print(pcall(table.concat, {}, {}))
print(pcall(table.concat))
local p = table.pack(1, nil, 3)
print(p.n, p[1], p[2], p[3], table.pack().n, #table.pack(1, 2))
print(table.unpack({1, 2, 3}))
print(table.unpack({1, 2, 3}, 2))
print(table.unpack({1, 2, 3}, 2, 5))
print(table.unpack({1, 2, 3}, 3, 2))
print(table.unpack({}, 1, 0), select("#", table.unpack({}, 1, 0)), select("#", table.unpack({nil, nil}, 1, 2)))
print(table.unpack({[0] = "z", "a"}, 0, 1), table.unpack({1, 2}, -1, 1))
print(pcall(table.unpack, {}, 1, 1e8))
print(pcall(table.unpack, {}, math.mininteger, math.maxinteger))
print(pcall(table.unpack, {}, 1, math.maxinteger))
print(table.unpack({1, 2, 3}, "2", "3"))
print(pcall(table.unpack))
print(pcall(table.unpack, {}, 1.5))
local m = {1, 2, 3, 4, 5}
print(show(table.move(m, 2, 4, 1)))
m = {1, 2, 3, 4, 5}
print(show(table.move(m, 1, 3, 3), 5))
m = {1, 2, 3}
local dest = table.move(m, 1, 3, 2, {})
print(show(dest, 4), dest == m)
print(show(table.move({1, 2, 3}, 1, 0, 1)), show(table.move({}, 1, 3, 1, {9, 9, 9}), 3))
print(pcall(table.move, {}, 1, math.maxinteger, 2))
print(pcall(table.move, {}, -1, math.maxinteger, 2))
print((pcall(table.move, {1}, 1, 1, math.maxinteger)))
print(pcall(table.move))
print(pcall(table.move, {}, 1, 2))
print(pcall(table.move, {}, 1, 2, 3, 4))
local proxy_log = {}
local proxy = setmetatable({}, {
  __index = function(_, k) proxy_log[#proxy_log + 1] = "get" .. k; return k * 10 end,
  __newindex = function(t, k, v) proxy_log[#proxy_log + 1] = "set" .. k .. "=" .. v; rawset(t, k, v) end,
  __len = function() return 3 end})
table.insert(proxy, "x")
print(table.concat(proxy_log, " "))
proxy_log = {}
print(table.concat(setmetatable({}, {__index = function(_, k) return "v" .. k end, __len = function() return 3 end}), ","))
print(table.unpack(setmetatable({}, {__index = function(_, k) return k end}), 1, 3))
print(pcall(table.insert, setmetatable({}, {__len = function() return "x" end}), 1))
print(pcall(table.insert, setmetatable({}, {__len = function() return 2.5 end}), 1))
print(#table.pack(table.unpack({1, 2, 3}, 1, 250)), select("#", table.unpack({}, 1, 250)))
