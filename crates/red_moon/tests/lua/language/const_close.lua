-- <const> and <close> local variables. Prints nothing on success.

-- <const>: compile-time constants and read-only variables
do
  local k <const> = 10
  local s <const> = "str"
  local f <const> = 2.5
  local b <const> = true
  local n <const> = nil
  local derived <const> = k * 2 + 1        -- folded from another constant
  assert(k == 10 and s == "str" and f == 2.5 and b == true and n == nil and derived == 21)
  local function use () return k + derived, s end   -- constants need no upvalue
  local x, y = use()
  assert(x == 31 and y == "str")
  assert(math.type(k) == "integer" and math.type(f) == "float")
  local t <const> = {}                     -- not a compile-time constant, still read-only
  t.field = 1
  assert(t.field == 1)
  local dynamic <const> = os.time()
  assert(type(dynamic) == "number")
  local a <const>, c <const> = 1, 2        -- only the last one can be a compile-time constant
  assert(a + c == 3)
  local both <const> = k > 5 and "big" or "small"
  assert(both == "big")
  local e <const> = -0.0                   -- not folded: keeps its sign at run time
  assert(1 / e == -math.huge)
end

-- errors for assigning to constants
local function error_of (source)
  local f, message = load(source, "=src")
  assert(f == nil)
  return message
end
assert(error_of("local x <const> = 1; x = 2") == "src:1: attempt to assign to const variable 'x'")
assert(error_of("local x <const> = {}; x = 2") == "src:1: attempt to assign to const variable 'x'")
assert(error_of("local x <close> = nil; x = 2") == "src:1: attempt to assign to const variable 'x'")
assert(error_of("local x <const> = 1; local function f () x = 2 end")
       == "src:1: attempt to assign to const variable 'x'")
assert(error_of("local x <const> = {}; local function f () x = 2 end")
       == "src:1: attempt to assign to const variable 'x'")
assert(error_of("local x <const> = 1; function x () end")
       == "src:1: attempt to assign to const variable 'x'")
assert(error_of("local a <const> = 1; local b; b, a = 1, 2")
       == "src:1: attempt to assign to const variable 'a'")
assert(error_of("local x <foo> = 1") == "src:1: unknown attribute 'foo'")
assert(error_of("local x <close>, y <close> = 1, 2")
       == "src:1: multiple to-be-closed variables in local list")
assert(error_of("local x <const = 1") == "src:1: '>' expected near '='")
assert(load("local x <const> = {}; function x.f () end; x.y = 1"))   -- fields are fine

-- <close>: closing order and the values given to __close
local log = {}
local function closable (name)
  return setmetatable({}, {__close = function (_, err)
    log[#log + 1] = name .. (err and (":" .. tostring(err)) or "")
  end})
end

do
  local a <close> = closable("a")
  local b <close> = closable("b")
  local c <close> = nil                    -- nil and false are allowed and ignored
  local d <close> = false
  log[#log + 1] = "body"
end
assert(table.concat(log, " ") == "body b a")

-- closed on break, goto and return
log = {}
for i = 1, 3 do
  local x <close> = closable("loop" .. i)
  if i == 2 then break end
end
assert(table.concat(log, " ") == "loop1 loop2")

log = {}
do
  local i = 0
  ::again::
  do
    i = i + 1
    local x <close> = closable("goto" .. i)
    if i < 3 then goto again end
  end
end
assert(table.concat(log, " ") == "goto1 goto2 goto3")

log = {}
local function returns ()
  local x <close> = closable("ret")
  log[#log + 1] = "before"
  return "value"
end
assert(returns() == "value" and table.concat(log, " ") == "before ret")

-- return values are computed before closing
log = {}
local function compute ()
  local x <close> = closable("closed")
  return #log
end
assert(compute() == 0 and log[1] == "closed")

-- no tail call in the scope of a to-be-closed variable: closing happens after the call
log = {}
local function callee () log[#log + 1] = "callee"; return 1 end
local function caller ()
  local x <close> = closable("x")
  return callee()
end
assert(caller() == 1 and table.concat(log, " ") == "callee x")

-- closed on errors, receiving the error
log = {}
local ok, err = pcall(function ()
  local x <close> = closable("e1")
  local y <close> = closable("e2")
  error("boom", 0)
end)
assert(not ok and err == "boom" and table.concat(log, " ") == "e2:boom e1:boom")

-- a non-closable value is an error when the variable is declared
ok, err = pcall(function () local x <close> = {} end)
assert(not ok and err:find("variable 'x' got a non%-closable value"))
ok, err = pcall(function () local y <close> = 42 end)
assert(not ok and err:find("variable 'y' got a non%-closable value"))

-- generic for: the fourth value is closed when the loop ends (normally or by break)
log = {}
local function iterator (n)
  return function (_, i) if i < n then return i + 1 end end, nil, 0, closable("iter" .. n)
end
for _ in iterator(2) do end
assert(table.concat(log, " ") == "iter2")
log = {}
for i in iterator(5) do
  if i == 2 then break end
end
assert(table.concat(log, " ") == "iter5")
log = {}
local function find_in_loop ()
  for i in iterator(7) do
    if i == 3 then return i end
  end
end
assert(find_in_loop() == 3 and table.concat(log, " ") == "iter7")

-- nested blocks close innermost first; closures capturing tbc variables still work
log = {}
do
  local outer <close> = closable("outer")
  do
    local inner <close> = closable("inner")
    local get = function () return inner end
    assert(get() == inner)
  end
  log[#log + 1] = "between"
end
assert(table.concat(log, " ") == "inner between outer")

-- a <close> variable is read-only but its value can be used
do
  local c <close> = closable("used")
  assert(getmetatable(c).__close)
end
