-- Varargs and select, including negative indices and their errors.
local function count(...) return select("#", ...) end
print(count(), count(nil), count(nil, nil), count(1, nil, 3), count(...))
print(select(1, "a", "b", "c"), select(2, "a", "b", "c"), select(3, "a", "b", "c"), select(4, "a", "b", "c"))
print(select(-1, "a", "b", "c"), select(-2, "a", "b", "c"), select(-3, "a", "b", "c"))
print(pcall(select, -4, "a", "b", "c"))
print(pcall(select, 0, "a"))
print(pcall(select, "x"))
print(pcall(select))
print(select("#"), select(2), select(1.0, "x"), pcall(select, 1.5, "x"))
print(select("2", "a", "b"), pcall(select, "#x"))
local function pass(...) return ... end
print(pass(1, 2, 3), pass(), pass(nil, nil))
print((pass(1, 2, 3)))
local function pack(...) return {n = select("#", ...), ...} end
local p = pack(1, nil, 3, nil)
print(p.n, p[1], p[2], p[3], p[4], #{pass(1, 2, 3)})
local function tail_varargs(...) return select("#", ...), ... end
print(tail_varargs(nil, nil, nil))
local function adjust(...)
  local a, b, c = ...
  return a, b, c
end
print(adjust(1), adjust(1, 2, 3, 4))
local function in_middle(...) return ..., "end" end
print(in_middle(1, 2, 3))
local function varargs_table(...) local t = {...}; return #t, t[1], t[#t] end
print(varargs_table("x", "y", "z"))
local function sum(...)
  local s = 0
  for i = 1, select("#", ...) do s = s + (select(i, ...)) end
  return s
end
print(sum(1, 2, 3, 4, 5), sum())
local many = {}
for i = 1, 250 do many[i] = i end
print(count(table.unpack(many)), sum(table.unpack(many)))
print(math.max(table.unpack(many)), select(-1, table.unpack(many)), select(250, table.unpack(many)))
local function nested(...)
  return (function(...) return select("#", ...) end)(..., ...)
end
print(nested(1, 2), nested())
print(table.pack(pass(1, nil)).n, table.pack().n)
local function varargs_string(...) return table.concat({...}, ",") end
print(varargs_string("a", "b", "c"), string.format("%s %s", pass("x", "y")))
local chunk = load("return ...")
print(chunk(1, 2, 3))
local chunk2 = load("local a, b = ...; return b, a")
print(chunk2("first", "second"))
print(select("#", load("return")()), select("#", load("return nil")()))
print(load("function f(a, ...) local t = {...} return a, #t end return f(1, 2, 3)")())
print(pcall(load, "function f(... , a) end"))
print(load("local function f() return ... end"))
