-- Closures and upvalues: a fresh variable per loop iteration, shared upvalues, nested
-- functions, upvalues of upvalues. Prints nothing on success.

-- numeric for: each iteration has its own loop variable
local fs = {}
for i = 1, 3 do fs[i] = function () return i end end
assert(fs[1]() == 1 and fs[2]() == 2 and fs[3]() == 3)

-- modifying the loop variable's copy does not affect the loop
local seen = {}
for i = 1, 3 do
  local get = function () return i end
  i = i * 10
  seen[#seen + 1] = get()
end
assert(seen[1] == 10 and seen[2] == 20 and seen[3] == 30)

-- generic for
fs = {}
for k, v in ipairs{"a", "b", "c"} do fs[k] = function () return k .. v end end
assert(fs[1]() == "1a" and fs[3]() == "3c")

-- locals declared in loop bodies
fs = {}
local j = 0
while j < 3 do
  j = j + 1
  local captured = j
  fs[j] = function () captured = captured + 100; return captured end
end
assert(fs[1]() == 101 and fs[1]() == 201 and fs[2]() == 102 and fs[3]() == 103)

fs = {}
j = 0
repeat
  j = j + 1
  local captured = j
  fs[j] = function () return captured end
until captured >= 3          -- the condition sees the body's locals
assert(fs[1]() == 1 and fs[2]() == 2 and fs[3]() == 3)

-- closures created in the condition of repeat
local getters = {}
local count = 0
repeat
  count = count + 1
  local v = count
until (function () getters[#getters + 1] = function () return v end; return v >= 3 end)()
assert(getters[1]() == 1 and getters[2]() == 2 and getters[3]() == 3)

-- closures sharing one variable
local function counter ()
  local n = 0
  return function () n = n + 1; return n end, function () return n end
end
local inc, get = counter()
inc(); inc()
assert(get() == 2)
local inc2, get2 = counter()
inc2()
assert(get2() == 1 and get() == 2)

-- upvalues through several levels of nesting
local function level1 ()
  local a = 1
  return function ()
    local b = 2
    return function ()
      local c = 3
      return function ()
        a = a + 1
        return a + b + c
      end
    end
  end
end
local deepest = level1()()()
assert(deepest() == 7 and deepest() == 8)

-- a parameter captured and modified
local function adder (x)
  return function (y) x = x + y; return x end
end
local add = adder(10)
assert(add(1) == 11 and add(1) == 12)

-- recursive local function sees itself
local function fact (n) if n <= 1 then return 1 end return n * fact(n - 1) end
assert(fact(10) == 3628800)
local fib
fib = function (n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
assert(fib(15) == 610)

-- 'local function' vs 'local f = function': the latter cannot see itself
local g = function () return type(g) end
assert(g() == "nil")
local function h () return type(h) end
assert(h() == "function")

-- closing over a variable after the loop ended via break keeps the last value
local last
for i = 1, 10 do
  local value = i
  last = function () return value end
  if i == 4 then break end
end
assert(last() == 4)

-- upvalues are shared between closures created in the same iteration
local pairs_of = {}
for i = 1, 2 do
  local shared = i
  pairs_of[i] = {
    set = function (v) shared = v end,
    get = function () return shared end,
  }
end
pairs_of[1].set(99)
assert(pairs_of[1].get() == 99 and pairs_of[2].get() == 2)

-- methods and self
local object = {value = 5}
function object:get () return self.value end
function object.static (x) return x * 2 end
assert(object:get() == 5 and object.static(4) == 8)
local nested = {a = {b = {}}}
function nested.a.b.f () return "f" end
function nested.a.b:m () return self == nested.a.b end
assert(nested.a.b.f() == "f" and nested.a.b:m())

-- varargs are not upvalues: each function has its own
local function outer (...)
  local n = select("#", ...)
  return function (...) return n, select("#", ...) end
end
local a, b = outer(1, 2, 3)(4)
assert(a == 3 and b == 1)

-- _ENV as an upvalue, a local and a parameter
local function with_env (_ENV) return x end
assert(with_env({x = 42}) == 42)
do
  local assert = assert
  local _ENV = {y = 7}
  z = y * 2                      -- a "global" in the local _ENV
  local check = function () return z end
  assert(check() == 14 and _ENV.z == 14)
end
assert(z == nil)
local function make_env_reader ()
  local _ENV = {v = "inner"}
  return function () return v end
end
assert(make_env_reader()() == "inner")
do
  local G = _G
  local _ENV <const> = {w = 3}
  G.const_env_value = w
end
assert(const_env_value == 3)
const_env_value = nil

-- many upvalues
local u1, u2, u3, u4, u5, u6, u7, u8 = 1, 2, 3, 4, 5, 6, 7, 8
local function sum () return u1 + u2 + u3 + u4 + u5 + u6 + u7 + u8 end
assert(sum() == 36)
u8 = 80
assert(sum() == 108)
