-- Assignments: multiple assignment adjustment, evaluation order and the conflicts between
-- targets (PUC Lua 5.4 behaviour). Prints nothing on success.

-- adjusting the number of values
local a, b, c = 1, 2
assert(a == 1 and b == 2 and c == nil)
a, b = 10, 20, 30
assert(a == 10 and b == 20)
local function three () return 1, 2, 3 end
local function none () end
local x, y, z, w = three()
assert(x == 1 and y == 2 and z == 3 and w == nil)
x, y, z = three(), 10
assert(x == 1 and y == 10 and z == nil)        -- only the last call is expanded
x, y, z = 0, three()
assert(x == 0 and y == 1 and z == 2)
x, y = (three())
assert(x == 1 and y == nil)                    -- parentheses keep one value
x, y = none()
assert(x == nil and y == nil)
x, y = none(), 5
assert(x == nil and y == 5)
local t = {three(), three()}
assert(#t == 4 and t[1] == 1 and t[2] == 1 and t[4] == 3)

-- swaps
a, b = 1, 2
a, b = b, a
assert(a == 2 and b == 1)
t = {1, 2}
t[1], t[2] = t[2], t[1]
assert(t[1] == 2 and t[2] == 1)

-- all values are evaluated before any assignment
local i = 1
i, t[i] = i + 1, 20
assert(i == 2 and t[1] == 20)                  -- the old i indexes t
t = {}
i = 1
t[i], i = i + 1, 20
assert(i == 20 and t[1] == 2)
t = {}
i = 3
i, t[i], t[i + 1] = 5, "a", "b"
assert(i == 5 and t[3] == "a" and t[4] == "b" and t[5] == nil)

-- a table variable assigned in the same statement
local tab = {}
local old = tab
tab, tab.x = {}, 1
assert(old.x == 1 and tab.x == nil)
tab = old
tab.y, tab = 2, {}
assert(old.y == 2 and tab.y == nil)

-- the same with upvalues and globals
local up = {}
local up_old = up
local function assign_upvalue () up, up.f = {}, "field" end
assign_upvalue()
assert(up_old.f == "field" and up.f == nil)
G1 = {}
local g_old = G1
G1, G1.x = {}, 3
assert(g_old.x == 3 and G1.x == nil)
G1 = nil

-- key is a local assigned in the same statement
local k = "a"
local m = {}
k, m[k] = "b", 1
assert(k == "b" and m.a == 1 and m.b == nil)
m = {}
m[k], k = 1, "c"
assert(k == "c" and m.b == 1)

-- order of evaluation of the right-hand side: left to right
local log = {}
local function v (n) log[#log + 1] = n; return n end
local p, q, r = v(1), v(2), v(3)
assert(table.concat(log) == "123")

-- assigning to fields through __newindex happens right to left (PUC order)
log = {}
local proxy = setmetatable({}, {__newindex = function (_, key, value)
  log[#log + 1] = key .. "=" .. tostring(value)
end})
proxy.a, proxy.b, proxy.c = 1, 2, 3
assert(table.concat(log, " ") == "c=3 b=2 a=1")

-- globals
global_one, global_two = "one", "two"
assert(global_one == "one" and _ENV.global_two == "two")
global_one, global_two = nil
assert(global_one == nil and global_two == nil)

-- nested fields and calls on the left-hand side
local root = {child = {}}
local function get () return root end
get().child.value, root.other = 5, 6
assert(root.child.value == 5 and root.other == 6)
root["child"]["x" .. 1] = true
assert(root.child.x1 == true)

-- integer, float and string keys
local keys = {}
keys[1], keys[1.0], keys[2^53] = "a", "b", "c"
assert(keys[1] == "a" and keys[2^53] == "c")  -- stored from right to left
keys["1"] = "s"
assert(keys[1] == "a" and keys["1"] == "s")
keys[300] = "big"
assert(keys[300.0] == "big")
assert(not pcall(function () keys[nil] = 1 end))
assert(not pcall(function () keys[0/0] = 1 end))

-- compile-time errors
local function error_of (source)
  local f, message = load(source, "=src")
  assert(f == nil)
  return message
end
assert(error_of("(x) = 1") == "src:1: syntax error near '='")
assert(error_of("f() = 1") == "src:1: syntax error near '='")
assert(error_of("x, f() = 1, 2") == "src:1: syntax error near '='")
assert(error_of("x") == "src:1: syntax error near <eof>")
assert(error_of("x, y") == "src:1: '=' expected near <eof>")
assert(error_of("a.b:c = 1") == "src:1: function arguments expected near '='")
assert(error_of("1 = x") == "src:1: unexpected symbol near '1'")
assert(error_of("x = ") == "src:1: unexpected symbol near <eof>")
