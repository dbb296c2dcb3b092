-- Operators: precedence, associativity, arithmetic subtypes, constant folding edge cases and
-- metamethod argument order. Prints nothing on success.

-- Precedence and associativity
assert(-2 ^ 2 == -4)
assert(2 ^ -2 == 0.25)
assert(2 ^ 3 ^ 2 == 512)            -- right associative
assert(-2 ^ -2 == -0.25)
assert(not nil == true)
assert(not 1 == false)
assert(1 + 2 * 3 == 7 and (1 + 2) * 3 == 9)
assert(7 // 2 * 2 == 6)
assert(2 * 3 % 4 == 2)
assert("a" .. "b" .. "c" == "abc")
assert(1 .. 2 == "12")
assert("x" .. 1 + 2 == "x3")         -- '..' binds looser than '+'
assert(1 < 2 == true)                -- comparison binds looser than arithmetic
assert((1 | 2 ~ 3 & 4) == (1 | (2 ~ (3 & 4))))
assert(1 << 2 + 1 == 8)              -- shift binds looser than '+'
assert(5 & 3 << 1 == 5 & 6)
assert(not pcall(load("return 1 .. 2 << 1")))  -- '..' binds tighter: a string is shifted
assert(#"abc" + 1 == 4)
assert(-#"ab" == -2)
assert(- - 2 == 2 and not not nil == false)
assert(~5 == -6 and ~~5 == 5)
assert(2 ^ - - 2 == 4)

-- and / or return operands
assert((nil and 1) == nil and (false and 1) == false)
assert((1 and 2) == 2 and (nil or 3) == 3 and (false or nil) == nil)
assert((1 or error("not evaluated")) == 1)
assert((nil and error("not evaluated")) == nil)
local x, y = 10, nil
assert((x and y or 5) == 5)
assert((x or y and 7) == 10)
assert((y or x and 8) == 8)
local t = {}
assert((t and t.a or "d") == "d")
assert(((x > 5) and "big" or "small") == "big")

-- Integer and float arithmetic
assert(math.type(1 + 2) == "integer" and math.type(1 + 2.0) == "float")
assert(math.type(7 // 2) == "integer" and 7 // 2 == 3)
assert(math.type(7.0 // 2) == "float" and 7.0 // 2 == 3.0)
assert(-7 // 2 == -4 and 7 // -2 == -4 and -7 // -2 == 3)
assert(-7 % 3 == 2 and 7 % -3 == -2 and -7 % -3 == -1)
assert(5.5 % -2 == -0.5 and -5.5 % 2 == 0.5)
assert(math.type(1 / 2) == "float" and 1 / 2 == 0.5)
assert(math.type(2 ^ 2) == "float" and 2 ^ 2 == 4.0)
assert(math.maxinteger + 1 == math.mininteger)       -- wraps around
assert(math.mininteger - 1 == math.maxinteger)
assert(math.maxinteger * 2 == -2)
assert(math.mininteger // -1 == math.mininteger)
assert(math.mininteger % -1 == 0)
assert(3 % math.huge == 3 and -3 % math.huge == math.huge)

-- Division by zero is not folded: it happens at run time with run-time results and errors
assert(1 / 0 == math.huge and -1 / 0 == -math.huge)
assert(0 / 0 ~= 0 / 0)
assert(1 // 0.0 == math.huge)
assert(not pcall(function () return 1 // 0 end))
assert(not pcall(function () return 1 % 0 end))
assert(select(2, pcall(function () return 1 // 0 end)):find("attempt to divide by zero", 1, true))
assert(select(2, pcall(function () return 1 % 0 end)):find("attempt to perform 'n%0'", 1, true))

-- Float zeros keep their sign (never folded to a constant)
local negative_zero = -0.0
assert(1 / negative_zero == -math.huge)
assert(1 / (0.0 * -1) == -math.huge)
assert(1 / (-0.0 + 0.0) == math.huge)
assert(negative_zero == 0.0 and 0.0 == -0.0)
assert(tostring(-0.0) == "-0.0")
assert(1 / (-(0.0)) == -math.huge)
assert(1 / (0.0 - 0.0) == math.huge)
assert(1 / (-0.0 - 0.0) == -math.huge)

-- NaN is never a constant either
local nan = 0 / 0
assert(nan ~= nan and not (nan < nan) and not (nan >= nan))
assert(math.huge - math.huge ~= math.huge - math.huge)

-- Bitwise operators
assert(1 << 63 == math.mininteger)
assert(1 << 64 == 0 and 1 << 100 == 0)
assert(-1 >> 63 == 1 and -1 >> 64 == 0)
assert(1 << -1 == 0 and 2 >> -1 == 4)
assert(3.0 | 0 == 3 and math.type(3.0 | 0) == "integer")
assert(0xFF ~ 0x0F == 0xF0)
assert(~0 == -1)
assert(not pcall(function () return 1.5 | 0 end))
assert(select(2, pcall(function () return 1.5 | 0 end)):find("number has no integer representation"))
assert(not pcall(function () return "3" | 0 end))  -- strings have no bitwise metamethods

-- String arithmetic coercion
assert("10" + 1 == 11 and math.type("10" + 1) == "integer")
assert("0x10" + 0 == 16)
assert("1e1" * 1 == 10.0)
assert(10 .. "" == "10" and 1.5 .. "" == "1.5" and -0.0 .. "" == "-0.0")

-- Comparisons
assert(1 == 1.0 and math.maxinteger + 0.0 ~= math.maxinteger)
assert(1 < 1.5 and 2 > 1.5 and 1 <= 1.0 and 1 >= 1.0)
assert("a" < "b" and "a" < "aa" and "" < "a" and "Z" < "a")
assert("a\0b" > "a\0a" and "a\0" > "a")
assert(not pcall(function () return 1 < "2" end))
assert(not pcall(function () return {} < {} end))
assert(math.mininteger < math.maxinteger + 0.0)
assert(2^53 == 2^53 + 1)  -- floats
assert(math.tointeger(2^53) == 9007199254740992)
assert(9007199254740993 ~= 2^53 + 0.0 or true)
assert(-1 < 0.5 and 0.5 > -1)
assert(1 == 1 and 1 ~= 2 and "x" ~= 1 and nil ~= false)
local function cmp(a, b)
  return {a == b, a ~= b, a < b, a <= b, a > b, a >= b}
end
local r = cmp(3, 3.0)
assert(r[1] and not r[2] and not r[3] and r[4] and not r[5] and r[6])
r = cmp(math.maxinteger, 2^63)
assert(not r[1] and r[3] and r[4] and not r[5])
r = cmp(math.mininteger, -2^63)
assert(r[1] and not r[3] and r[4] and r[6])

-- Comparisons with constants on either side (immediate forms)
local v = 5
assert(v == 5 and 5 == v and v ~= 6 and 6 ~= v)
assert(v < 6 and 4 < v and v <= 5 and 5 <= v and v > 4 and 6 > v and v >= 5 and 5 >= v)
assert(v == 5.0 and 5.0 == v and v < 5.5 and 4.5 < v)
assert(v ~= "5" and "5" ~= v)
assert(v > -1000 and -1000 < v and v < 100000 and 100000 > v)
local s = "abc"
assert(s == "abc" and "abc" == s and s ~= "abd" and s < "abd" and "abb" < s)

-- Metamethods see the operands in source order
local log = {}
local mt = {}
for _, event in ipairs{"add", "sub", "mul", "div", "mod", "pow", "unm", "idiv", "band",
                       "bor", "bxor", "shl", "shr", "bnot", "concat", "lt", "le"} do
  mt["__" .. event] = function (a, b)
    log[#log + 1] = event .. ":" .. tostring(type(a) == "table" and "T" or a) .. ","
                    .. tostring(type(b) == "table" and "T" or b)
    if event == "lt" or event == "le" then return true end
    return 0
  end
end
local o = setmetatable({}, mt)
local _ = o + 1, 1 + o, o - 1, 1 - o, o * 2, 2 * o, o / 2, 2 / o, o % 3, 3 % o, o ^ 2, 2 ^ o,
          o // 2, 2 // o, o & 1, 1 & o, o | 1, 1 | o, o ~ 1, 1 ~ o, o << 1, 1 << o, o >> 1, 1 >> o,
          -o, ~o, o .. "s", "s" .. o
_ = o < 1, 1 < o, o <= 1, 1 <= o, o > 1, 1 > o, o >= 1, 1 >= o, o < 1.0, 2.5 > o
local expected = {
  "add:T,1", "add:1,T", "sub:T,1", "sub:1,T", "mul:T,2", "mul:2,T", "div:T,2", "div:2,T",
  "mod:T,3", "mod:3,T", "pow:T,2", "pow:2,T", "idiv:T,2", "idiv:2,T", "band:T,1", "band:1,T",
  "bor:T,1", "bor:1,T", "bxor:T,1", "bxor:1,T", "shl:T,1", "shl:1,T", "shr:T,1", "shr:1,T",
  "unm:T,T", "bnot:T,T", "concat:T,s", "concat:s,T",
  "lt:T,1", "lt:1,T", "le:T,1", "le:1,T", "lt:1,T", "lt:T,1", "le:1,T", "le:T,1",
  "lt:T,1.0", "lt:T,2.5",
}
assert(#log == #expected)
for i = 1, #expected do assert(log[i] == expected[i], i) end

-- __eq is only tried between tables (or userdata)
local eqcalls = 0
local emt = {__eq = function () eqcalls = eqcalls + 1; return true end}
local e1, e2 = setmetatable({}, emt), setmetatable({}, emt)
assert(e1 == e2 and not (e1 ~= e2) and eqcalls == 2)
assert(e1 ~= 1 and e1 ~= "x" and e1 ~= nil and eqcalls == 2)

-- __concat with several operands, right to left
local cmt = {__concat = function (a, b)
  local av = type(a) == "table" and a.v or a
  local bv = type(b) == "table" and b.v or b
  return setmetatable({v = "(" .. av .. bv .. ")"}, getmetatable(type(a) == "table" and a or b))
end}
local c = setmetatable({v = "c"}, cmt)
assert(("a" .. "b" .. c .. "d" .. "e").v == "(a(b(cde)))")

-- Length and not
assert(#{1, 2, 3} == 3 and #"" == 0)
assert(setmetatable({}, {__len = function () return 42 end}) and #setmetatable({}, {__len = function () return 42 end}) == 42)
assert(not 0 == false and not "" == false)

-- Constant folding keeps the semantics of the operations
assert(2^53 + 1 == 2^53)
assert(0x7fffffffffffffff + 1 == math.mininteger)
assert(1 // 1 == 1 and math.type(1 // 1) == "integer")
assert(3 % -2 == -1 and 3.0 % -2 == -1.0)
assert(-(-9223372036854775807 - 1) == math.mininteger)
assert(~0 >> 1 == math.maxinteger)
assert(1e308 * 10 == math.huge)
assert(2 ^ 1024 == math.huge)
assert(-2 ^ 1024 == -math.huge)
local k1, k2 = 7, 2
assert(7 // 2 == k1 // k2 and 7 % 2 == k1 % k2 and 7 / 2 == k1 / k2 and 7 ^ 2 == k1 ^ k2)
assert(-7 // 2 == -k1 // k2 and 7.5 // 2 == (k1 + 0.5) // k2)
