-- Closures and upvalues: sharing, per-iteration loop variables, recursion.
local function counter()
  local n = 0
  return function() n = n + 1; return n end, function() return n end
end
local inc, get = counter()
inc(); inc()
print(get(), inc(), get())
local inc2 = counter()
print(inc2(), get())
local fns = {}
for i = 1, 5 do fns[i] = function() return i end end
print(fns[1](), fns[3](), fns[5]())
local gfns = {}
for k, v in ipairs({"a", "b", "c"}) do gfns[k] = function() return k .. v end end
print(gfns[1](), gfns[2](), gfns[3]())
local wfns = {}
local j = 0
while j < 3 do
  j = j + 1
  local captured = j
  wfns[j] = function() return captured, j end
end
print(wfns[1](), wfns[2](), wfns[3]())
local rfns = {}
local r = 0
repeat
  local x = r * 10
  rfns[#rfns + 1] = function() x = x + 1; return x end
  r = r + 1
until x >= 20
print(rfns[1](), rfns[1](), rfns[2](), rfns[3]())
local shared = {}
do
  local v = 0
  shared.set = function(n) v = n end
  shared.get = function() return v end
end
shared.set(42)
print(shared.get())
local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
print(fact(10), fact(20), fact(21))
local fib
fib = function(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(fib(20))
local function make_adders()
  local t = {}
  for i = 1, 3 do
    local base = i * 100
    t[i] = function(x) base = base + x; return base end
  end
  return t
end
local adders = make_adders()
print(adders[1](1), adders[1](1), adders[2](5), adders[3](0))
local function outer()
  local a = 1
  local function middle()
    local b = 2
    local function inner()
      a = a + 10; b = b + 20
      return a + b
    end
    return inner
  end
  local f = middle()
  return f, function() return a end
end
local f, ga = outer()
print(f(), f(), ga())
local x = 1
local function read_x() return x end
x = 2
print(read_x())
local loop_closures = {}
for i = 1, 3 do
  local i2 = i
  loop_closures[i] = function() i2 = i2 * 2; return i2 end
end
print(loop_closures[1](), loop_closures[1](), loop_closures[2](), loop_closures[3]())
local function self_counter()
  local calls = 0
  local function recur(n)
    calls = calls + 1
    if n > 0 then return recur(n - 1) end
    return calls
  end
  return recur(100)
end
print(self_counter())
local function tail(n, acc) if n == 0 then return acc end return tail(n - 1, acc + 1) end
print(tail(100000, 0))
local up1, up2, up3 = "a", "b", "c"
local function many() return up1 .. up2 .. up3 end
up2 = "B"
print(many())
print(select("#", (function() end)()), (function() return end)())
