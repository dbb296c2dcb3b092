-- Creating and calling closures; reading and writing upvalues.
local N = tonumber(arg and arg[1]) or 1500000
local function make_counter(start)
  local n = start
  return function(step) n = n + step; return n end
end
local total = 0
for i = 1, N do
  local c = make_counter(i)
  total = total + c(1) + c(2)
end
local acc = 0
local function add(x) acc = acc + x end
for i = 1, N * 3 do add(i & 7) end
local adders = {}
for i = 1, 100 do adders[i] = function(x) return x + i end end
local s = 0
for i = 1, N * 2 do s = adders[i % 100 + 1](s) % 1000003 end
local function compose(f, g) return function(x) return f(g(x)) end end
local inc = function(x) return x + 1 end
local twice = compose(inc, inc)
local z = 0
for _ = 1, N do z = twice(z) end
print("checksum", total, acc, s, z)
