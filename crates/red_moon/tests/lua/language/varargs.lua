-- Variable arguments and multiple results. Prints nothing on success.

local function count (...) return select("#", ...) end
assert(count() == 0 and count(nil) == 1 and count(nil, nil) == 2 and count(1, 2, 3) == 3)

local function pass (...) return ... end
assert(count(pass()) == 0 and count(pass(1, nil, 3)) == 3)
local a, b, c = pass(1, 2)
assert(a == 1 and b == 2 and c == nil)

-- '...' is truncated to one value except at the end of a list
local function middle (...) return ..., "end" end
local x, y, z = middle(1, 2, 3)
assert(x == 1 and y == "end" and z == nil)
local function last (...) return "start", ... end
x, y, z = last(1, 2)
assert(x == "start" and y == 1 and z == 2)
local function parenthesized (...) return (...) end
assert(count(parenthesized(1, 2, 3)) == 1 and count(parenthesized()) == 1)

-- in table constructors
local function pack (...) return {...} end
local t = pack(1, nil, 3)
assert(t[1] == 1 and t[2] == nil and t[3] == 3)
local function pack_n (...) return {n = select("#", ...), ...} end
t = pack_n(nil, nil)
assert(t.n == 2)
local function first_only (...) return {..., "x"} end
t = first_only(1, 2, 3)
assert(#t == 2 and t[1] == 1 and t[2] == "x")
t = table.pack(pass(1, 2, 3))
assert(t.n == 3)

-- in calls and assignments
local function sum (...)
  local total = 0
  for i = 1, select("#", ...) do total = total + (select(i, ...)) end
  return total
end
assert(sum(1, 2, 3, 4) == 10)
assert(sum(pass(1, 2), pass(3, 4)) == 1 + 3 + 4)
local function locals (...)
  local p, q = ...
  return p, q
end
x, y = locals(5)
assert(x == 5 and y == nil)
x, y = locals(5, 6, 7)
assert(x == 5 and y == 6)

-- named parameters and varargs
local function mixed (first, ...)
  return first, select("#", ...), ...
end
local r1, r2, r3, r4 = mixed(1, 2, 3)
assert(r1 == 1 and r2 == 2 and r3 == 2 and r4 == 3)
r1, r2 = mixed()
assert(r1 == nil and r2 == 0)

-- the main chunk is a vararg function
local chunk = load("return select('#', ...), ...")
local n, v1, v2 = chunk("a", "b")
assert(n == 2 and v1 == "a" and v2 == "b")
assert(load("local a, b = ... return b")(1, 2) == 2)

-- '...' in nested functions must be declared there
local function error_of (source)
  local f, message = load(source, "=src")
  assert(f == nil)
  return message
end
assert(error_of("function f () return ... end")
       == "src:1: cannot use '...' outside a vararg function near '...'")
assert(error_of("local f = function (a) return function () return ... end end")
       == "src:1: cannot use '...' outside a vararg function near '...'")
assert(error_of("function f (..., a) end") == "src:1: ')' expected near ','")
assert(error_of("function f (a,) end") == "src:1: <name> or '...' expected near ')'")

-- many results
local function many (k)
  local values = {}
  for i = 1, k do values[i] = i end
  return table.unpack(values)
end
assert(count(many(200)) == 200)
assert(select(-1, many(100)) == 100)
t = {many(300)}
assert(#t == 300 and t[300] == 300)
local big = {many(10), many(60)}
assert(#big == 61 and big[1] == 1 and big[61] == 60)

-- multiple results in returns and tail calls
local function tail (k) if k == 0 then return "done", k end return tail(k - 1) end
local d, k0 = tail(10000)                   -- tail calls do not grow the stack
assert(d == "done" and k0 == 0)
local function returns_call () return pass(1, 2, 3) end
assert(count(returns_call()) == 3)
local function returns_paren () return (pass(1, 2, 3)) end
assert(count(returns_paren()) == 1)

-- method calls with varargs
local object = {}
function object:collect (...) return self, select("#", ...) end
local self_ref, nargs = object:collect(1, 2)
assert(self_ref == object and nargs == 2)

-- string and table call sugar
local function id (value) return value end
assert(id"text" == "text" and id[[long]] == "long" and id{1}[1] == 1)
assert(("x"):rep(3) == "xxx")
assert(#id{pass(1, 2, 3)} == 3)
