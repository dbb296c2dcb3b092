-- Lines reported by run-time errors in expressions spread over several lines (PUC Lua 5.4
-- attributes operators to the operator's line, calls to the line where the called expression
-- starts, field accesses to the line of the field name, ...). Prints nothing on success.

local function error_of (source)
  local f = assert(load(source, "=src"))
  local ok, message = pcall(f)
  assert(not ok)
  return message
end

local cases = {
  {"local t = nil\nlocal x = t\n.y", "src:3: attempt to index a nil value (local 't')"},
  {"local a = nil\nlocal b = a\n+\n1", "src:3: attempt to perform arithmetic on a nil value (local 'a')"},
  {"local a = nil\nlocal b = 1\n+\na", "src:3: attempt to perform arithmetic on a nil value (local 'a')"},
  {"local f = nil\nf\n(\n1\n)", "src:2: attempt to call a nil value (local 'f')"},
  {"local o = {}\no\n:m\n(\n)", "src:2: attempt to call a nil value (method 'm')"},
  {"local s = 'a' ..\n{}", "src:1: attempt to concatenate a table value"},
  {"local s = 'a' ..\n'b' ..\n{}", "src:2: attempt to concatenate a table value"},
  {"local x = 1 <\n{}", "src:2: attempt to compare number with table"},
  {"local x = {} <\n1", "src:2: attempt to compare table with number"},
  {"for i = 1,\n'x' do end", "src:2: bad 'for' limit (number expected, got string)"},
  {"for i = 1, 2,\n0\ndo end", "src:3: 'for' step is zero"},
  {"local a = -\n{}", "src:1: attempt to perform arithmetic on a table value"},
  {"local a = #\nnil", "src:1: attempt to get length of a nil value"},
  {"x.y.z = 1", "src:1: attempt to index a nil value (global 'x')"},
  {"local t = {}\nt.a\n.b\n.c = 1", "src:3: attempt to index a nil value (field 'a')"},
  {"local t = {\n1,\n2,\nnil .. 1\n}", "src:4: attempt to concatenate a nil value"},
  {"local t = {\nx = 1,\ny = nil + 1\n}", "src:3: attempt to perform arithmetic on a nil value"},
  {"local function f()\nreturn nil\n+ 1\nend\nf()", "src:3: attempt to perform arithmetic on a nil value"},
  {"local a = {}\nlocal b = a\n[\nnil\n]\n.c", "src:6: attempt to index a nil value (field '?')"},
  {"local x = nil\nx\n.y\n.z()", "src:3: attempt to index a nil value (local 'x')"},
  {"g(\n1,\n2\n)", "src:1: attempt to call a nil value (global 'g')"},
  {"local a = {}\nlocal b = a.x or\na.y.z", "src:3: attempt to index a nil value (field 'y')"},
  {"local x = 1\nlocal y = x\n..\n{}", "src:3: attempt to concatenate a table value"},
  {"local a\n=\nnil\n+\n1", "src:4: attempt to perform arithmetic on a nil value"},
  {"return\n(\nnil\n)\n.x", "src:5: attempt to index a nil value"},
  {"local f\nf\n{\n}", "src:2: attempt to call a nil value (local 'f')"},
  {"local f\nf\n'str'", "src:2: attempt to call a nil value (local 'f')"},
  {"local o = {}\no\n:m\n'str'", "src:2: attempt to call a nil value (method 'm')"},
  {"local a, b = 1\nlocal c = a\n//\nb", "src:3: attempt to perform arithmetic on a nil value (local 'b')"},
  {"while nil + 1 do end", "src:1: attempt to perform arithmetic on a nil value"},
  {"repeat local x = 1 until x +\nnil", "src:1: attempt to perform arithmetic on a nil value"},
  {"if nil +\n1 then end", "src:1: attempt to perform arithmetic on a nil value"},
  {"local t = nil\nt.x = 1", "src:2: attempt to index a nil value (local 't')"},
  {"local t = nil\nt\n.x\n=\n1", "src:5: attempt to index a nil value (local 't')"},
  {"local t = nil\nt[1], t[2] = 1,\n2", "src:3: attempt to index a nil value (local 't')"},
  {"local up = nil\nlocal function f ()\nreturn up\n.field\nend\nf()", "src:4: attempt to index a nil value (upvalue 'up')"},
  {"local t = {}\nt.method\n(\n)", "src:2: attempt to call a nil value (field 'method')"},
  {"string.nothing\n(\n)", "src:1: attempt to call a nil value (field 'nothing')"},
  {"local s = 'x'\nlocal n = s\n+\n1", "src:3: attempt to add a 'string' with a 'number'"},
  {"local a = {}\nlocal b = a\n&\n1", "src:3: attempt to perform bitwise operation on a table value (local 'a')"},
  {"local c <const> = 'text'\nlocal n = c\n.x\n.y", "src:4: attempt to index a nil value (field 'x')"},
}
for _, case in ipairs(cases) do
  local message = error_of(case[1])
  assert(message == case[2], case[1] .. " -> " .. message)
end

-- debug.getinfo sees the line of the current instruction
local function where () return debug.getinfo(2, "l").currentline end
local line = where(
)
assert(line == debug.getinfo(1, "l").currentline - 2)
