-- __eq, __lt, __le: when they run, result conversion to boolean, and errors.
local log = {}
local E = {__eq = function(a, b) log[#log + 1] = "eq"; return a.id == b.id end}
local x, y, z = setmetatable({id = 1}, E), setmetatable({id = 1}, E), setmetatable({id = 2}, E)
print(x == y, x ~= y, x == z, x ~= z, x == x, #log)
print(x == 1, 1 == x, x == "x", x == nil, #log)
local other = setmetatable({id = 1}, {__eq = function() return "truthy" end})
print(x == other, other == x, #log)
local plain = {id = 1}
print(x == plain, plain == x)
local nilret = setmetatable({}, {__eq = function() return nil end})
print(nilret == {}, nilret ~= {})
local O = {}
O.__lt = function(a, b) return a.v < b.v end
O.__le = function(a, b) return a.v <= b.v end
local function o(v) return setmetatable({v = v}, O) end
print(o(1) < o(2), o(2) < o(1), o(1) <= o(1), o(2) <= o(1), o(1) > o(2), o(2) >= o(2))
local onlylt = {__lt = function(a, b) return a.v < b.v end}
local p, q = setmetatable({v = 1}, onlylt), setmetatable({v = 2}, onlylt)
print(p < q, q > p)
print(pcall(function() return p <= q end))
local mixed = setmetatable({v = 5}, {__lt = function(a, b)
  local av = type(a) == "table" and a.v or a
  local bv = type(b) == "table" and b.v or b
  return av < bv
end})
print(mixed < 10, 1 < mixed, mixed > 3, pcall(function() return mixed <= 10 end))
local strcmp = setmetatable({}, {__lt = function() return 1 end, __le = function() return false end})
print(strcmp < strcmp, strcmp <= strcmp, strcmp > strcmp, strcmp >= strcmp)
local numbers_only = setmetatable({}, {__lt = function() return "x" end})
print(numbers_only < "s", "s" < numbers_only)
print(pcall(function() return {} < {} end))
print(pcall(function() return setmetatable({}, {}) <= {} end))
local cnt = 0
local count_eq = {__eq = function() cnt = cnt + 1; return true end}
local c1, c2 = setmetatable({}, count_eq), setmetatable({}, count_eq)
local _ = c1 == c2, c1 ~= c2, rawequal(c1, c2)
print(cnt, rawequal(c1, c2))
local t = {}
t[c1] = "c1"
print(t[c2], t[c1])
local strs = setmetatable({}, {__eq = function() return true end})
print(strs == "abc", "abc" == strs)
