-- Table constructors, nested tables, multiple assignment, evaluation order.
local t = {1, 2, 3; 4, x = "x", ["y"] = "y", [10 + 1] = "eleven", 5}
print(t[1], t[2], t[3], t[4], t[5], t.x, t.y, t[11])
local nested = {a = {b = {c = {d = "deep"}}}}
print(nested.a.b.c.d, nested["a"]["b"].c["d"])
local a, b, c = 1, 2
print(a, b, c)
a, b = b, a
print(a, b)
local x, y, z = (function() return 1, 2, 3 end)()
print(x, y, z)
local p, q = ((function() return 1, 2 end)())
print(p, q)
local u = {}
u.x, u.y, u.z = 1, 2
print(u.x, u.y, u.z)
local function multi() return "a", "b", "c" end
local r = {multi(), multi()}
print(#r, r[1], r[2], r[3], r[4])
local s = {multi(), (multi())}
print(#s, s[1], s[2], s[3])
local big = {}
for k = 1, 300 do big[k] = k end
local copy = {table.unpack(big)}
print(#copy, copy[300])
local g = {[1] = "a", [2] = "b", [3] = "c"}
print(#g, table.concat(g))
local holes = {n = 5}
print(holes.n, #holes)
local numeric = {[1.0] = "a", [2] = "b", [3.0] = "c"}
print(#numeric, numeric[1], numeric[3])
local self_ref = {}
self_ref.me = self_ref
print(self_ref.me.me.me == self_ref)
local function getter(k) return function(tbl) return tbl[k] end end
print(getter("x")({x = 42}), getter(1)({"first"}))
local str_methods = ("abc"):upper() .. ("DEF"):lower()
print(str_methods, ("%d-%d"):format(1, 2), #("x"):rep(10))
