-- Arithmetic, bitwise, unary, concat and length metamethods; which operand's handler runs.
local V = {}
V.__index = V
local function v(x) return setmetatable({x = x}, V) end
local function val(a) return type(a) == "table" and a.x or a end
for _, op in ipairs({"add", "sub", "mul", "div", "mod", "pow", "unm", "idiv",
                     "band", "bor", "bxor", "shl", "shr", "bnot", "concat"}) do
  V["__" .. op] = function(a, b)
    return op .. "(" .. tostring(val(a)) .. "," .. tostring(val(b)) .. ")"
  end
end
V.__len = function(a) return "len(" .. a.x .. ")" end
local a, b = v(1), v(2)
print(a + b, a - 3, 4 * a, a / b, a % 5, 2 ^ a, -a, a // b)
print(a & b, 1 | a, a ~ 2, a << 1, 3 >> a, ~a, a .. "s", "s" .. a, #a)
print(a + 1.5, "x" + a, a + "x")
local L = setmetatable({}, {__add = function() return "left" end})
local R = setmetatable({}, {__add = function() return "right" end})
print(L + R, R + L, L + 1, 1 + R)
print(pcall(function() return {} + 1 end))
print(pcall(function() local t = {}; return t + 1 end))
print(pcall(function() return 1 + {} end))
print(pcall(function() local t = {}; return -t end))
print(pcall(function() local t = {}; return #t .. "" end))
print(pcall(function() local t = {}; return t.a.b end))
print(pcall(function() local t = {}; return t < t end))
print(pcall(function() return 2 ^ {} end))
print(pcall(function() local o = {}; return o // 1 end))
local idx = setmetatable({}, {__len = function() return 42 end})
print(#idx, rawlen(idx))
local slen = setmetatable({}, {__len = function() return "not a number" end})
print(#slen)
local multi = setmetatable({}, {__add = function() return 1, 2, 3 end})
print(multi + 1)
local numres = setmetatable({}, {__unm = function(o) return 99 end, __bnot = function() return -99 end})
print(-numres, ~numres)
local strnum = setmetatable({}, {__add = function(x, y) return "added" end})
print("10" + strnum, strnum + "10")
local only_index = setmetatable({}, {__index = {__add = function() return "no" end}})
print(pcall(function() return only_index + 1 end))
local fl = setmetatable({}, {__mod = function(x, y) return "mod" end, __idiv = function() return "idiv" end})
print(fl % 0, fl // 0, 1 % fl, 1 // fl)
print(pcall(function() return 1.5 | setmetatable({}, {}) end))
local bw = setmetatable({}, {__bor = function(x, y) return "bor " .. type(x) .. " " .. type(y) end})
print(1.5 | bw, bw | "str", bw | bw)
print(pcall(function() return 1.5 | 1 end))
