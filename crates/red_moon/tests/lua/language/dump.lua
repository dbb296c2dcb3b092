-- string.dump and loading binary chunks (load with mode "b", loadfile, dofile).
-- Self-checking; passes under lua5.4 too (Red Moon specifics are guarded).

-- Dumps `f` and loads it back; `env`, when given (even nil), becomes its first upvalue.
local function dumpload(f, strip, ...)
  local d = string.dump(f, strip)
  assert(type(d) == "string" and d:byte(1) == 27 and d:sub(2, 4) == "Lua")
  return assert(load(d, "=dumped", "b", ...))
end

local is_red_moon = string.dump(function () end):find("RedMoon", 1, true) ~= nil

-- constants of every kind come back exactly
do
  local f = function ()
    return nil, true, false, 0, -1, math.maxinteger, math.mininteger,
           0.5, -0.0, 1/0, -1/0, 2^53 + 1.0, "", "a\0b\255", string.rep("long", 100)
  end
  for _, strip in ipairs{false, true} do
    local t = table.pack(dumpload(f, strip)())
    local e = table.pack(f())
    assert(t.n == e.n)
    for i = 1, e.n do
      assert(t[i] == e[i] and math.type(t[i]) == math.type(e[i]), i)
    end
    assert(1 / t[9] == -1/0)           -- the sign of -0.0 survives
  end
  local nan = dumpload(function () return 0/0 end)()
  assert(nan ~= nan)
end

-- control flow, closures, varargs, methods, loops, goto, to-be-closed
do
  local function program (n, ...)
    local acc = {}
    for i = 1, n do acc[#acc + 1] = i * 2 end
    for i = 1.0, 2.0, 0.5 do acc[#acc + 1] = i end
    for k, v in ipairs{...} do acc[#acc + 1] = k .. "=" .. tostring(v) end
    local counter = 0
    local function inc (d) counter = counter + (d or 1); return counter end
    inc(); inc(10)
    local o = {v = 7}
    function o:get (x) return self.v + x end
    local i = 0
    ::again::
    i = i + 1
    if i < 3 then goto again end
    local closed
    do
      local x <close> = setmetatable({}, {__close = function () closed = true end})
    end
    local ok, err = pcall(function () error({code = 5}) end)
    return table.concat(acc, ","), counter, o:get(1), i, closed, ok, err.code,
           select("#", ...), n > 2 and "big" or "small", n // 2, n % 3, n & 1, n ~ 3
  end
  local expected = table.pack(program(3, "x", false))
  for _, strip in ipairs{false, true} do
    local got = table.pack(dumpload(program, strip)(3, "x", false))
    assert(got.n == expected.n)
    for i = 1, got.n do assert(got[i] == expected[i], i) end
  end
end

-- recursion through a nested function, and nested closures of a dumped main chunk
do
  local main = load([[
    local function fib (n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
    return fib(15), function (x) return function (y) return x + y end end
  ]])
  local a, adder = dumpload(main)()
  assert(a == 610 and adder(2)(3) == 5)
end

-- upvalues: a loaded function gets fresh upvalues; the first one is the environment
do
  local a, b = 10, 20
  local function f (x)
    if x == "set" then a = a + b; b = b + 1 else return a, b end
  end
  local g = dumpload(f, false, nil)
  assert(g() == nil)                               -- fresh (nil) upvalues
  assert(dumpload(f)() == _G)                      -- the first one is the environment
  assert(debug.setupvalue(g, 1, 1) == "a")
  assert(debug.setupvalue(g, 2, 2) == "b")
  assert(not debug.setupvalue(g, 3, 0))
  g("set")
  local x, y = g()
  assert(x == 3 and y == 3)
  assert(a == 10 and b == 20)                      -- the original is untouched

  local h = dumpload(function () return Global end, false, {Global = "env"})
  assert(h() == "env")
  Global = "global"
  assert(dumpload(function () return Global end)() == "global")
  Global = nil

  -- _ENV need not be the first upvalue: `load` sets the first one, whatever it is
  local up
  local function k () local _ = up; return Global2 end
  local l = dumpload(k, false, "first")
  assert(debug.getupvalue(l, 1) == "up" and select(2, debug.getupvalue(l, 1)) == "first")
  assert(debug.getupvalue(l, 2) == "_ENV")
  debug.setupvalue(l, 2, {Global2 = 99})
  assert(l() == 99)
end

-- stripping drops names, lines and sources, not behaviour
do
  local function f (a) local b = a + 1; return b end
  local full, stripped = string.dump(f), string.dump(f, true)
  assert(#stripped < #full)
  local g = assert(load(stripped))
  assert(g(1) == 2)
  local ok, msg = pcall(g, {})
  assert(not ok and msg:find("^%?:%-1: attempt to perform arithmetic"))
  local info = debug.getinfo(g, "SlL")
  assert(info.source == "=?" and info.short_src == "?" and info.currentline == -1)
  assert(next(info.activelines) == nil)
  assert(info.linedefined == debug.getinfo(f, "S").linedefined)
  local up = 1
  local u = assert(load(string.dump(function () return up end, true)))
  assert(debug.getupvalue(u, 1) == "(no name)")
  -- the unstripped dump keeps them
  local h = assert(load(full))
  assert(debug.getinfo(h, "S").source == debug.getinfo(f, "S").source)
  assert(debug.getlocal(h, 1) == "a")
  ok, msg = pcall(h, {})
  assert(msg:find("dump.lua:%d+: attempt to perform arithmetic on a table value %(local 'a'%)"))
end

-- dumping is deterministic and idempotent
do
  local function f (x) return x * 3, "k" end
  local d = string.dump(f)
  assert(string.dump(f) == d)
  assert(string.dump(load(d)) == d)
  local s = string.dump(f, true)
  assert(string.dump(load(s), true) == s)
end

-- mode checks and errors
do
  local d = string.dump(function () return 1 end)
  local f, msg = load(d, "x", "t")
  assert(f == nil and msg == "attempt to load a binary chunk (mode is 't')")
  f, msg = load("return 1", "x", "b")
  assert(f == nil and msg == "attempt to load a text chunk (mode is 'b')")
  assert(load(d, "x", "bt")() == 1)

  local ok, err = pcall(string.dump, print)
  assert(not ok and err == "unable to dump given function")
  ok, err = pcall(string.dump)
  assert(not ok and err:find("bad argument #1 to 'string.dump' %(function expected"))
  ok, err = pcall(string.dump, {})
  assert(not ok and err:find("function expected, got table"))

  -- every truncation fails with PUC's message, named like PUC names binary chunks
  for i = 1, #d - 1 do
    local piece = d:sub(1, i)
    f, msg = load(piece)
    assert(f == nil and msg == "binary string: bad binary format (truncated chunk)", i)
  end
  assert(select(2, load(d:sub(1, 10), "=name")) == "name: bad binary format (truncated chunk)")
  assert(select(2, load(d:sub(1, 10), "@f.luac")) == "f.luac: bad binary format (truncated chunk)")
  assert(select(2, load(d:sub(1, 10), "chunk")) == "chunk: bad binary format (truncated chunk)")

  -- corrupted header fields
  local function corrupt (i)
    return d:sub(1, i - 1) .. string.char((d:byte(i) + 1) % 256) .. d:sub(i + 1)
  end
  assert(select(2, load(corrupt(2))) == "binary string: bad binary format (not a binary chunk)")
  assert(select(2, load(corrupt(5))) == "binary string: bad binary format (version mismatch)")
  assert(select(2, load(corrupt(6))) == "binary string: bad binary format (format mismatch)")
  assert(select(2, load(corrupt(9))) == "binary string: bad binary format (corrupted chunk)")
  for i = 1, 31 do assert(not load(corrupt(i))) end

  -- bytes after the chunk are ignored (as PUC does)
  assert(load(d .. "garbage")() == 1)
end

-- loading through a reader function, one byte at a time
do
  local d = string.dump(function (...) return select("#", ...), ... end)
  local i = 0
  local f = assert(load(function () i = i + 1; return d:sub(i, i) end, "=reader", "b"))
  local n, a, b = f("p", "q")
  assert(n == 2 and a == "p" and b == "q")
end

-- binary files through loadfile and dofile, also after a '#' line
do
  local name = os.tmpname()
  local function write (content)
    local file = assert(io.open(name, "wb"))
    assert(file:write(content))
    file:close()
  end
  write(string.dump(function (...) return 10, "\0alo\255", ... end))
  local f = assert(loadfile(name))
  local a, b, c = f("extra")
  assert(a == 10 and b == "\0alo\255" and c == "extra")
  assert(loadfile(name, "b"))
  local ok, msg = loadfile(name, "t")
  assert(not ok and msg:find("attempt to load a binary chunk"))
  assert(dofile(name) == 10)

  write("#!/usr/bin/env lua\n" .. string.dump(function () return 20, "\0\0\0" end))
  a, b, c = assert(loadfile(name))()
  assert(a == 20 and b == "\0\0\0" and c == nil)

  write(string.dump(function () return 1 end):sub(1, 20))
  ok, msg = loadfile(name)
  assert(not ok and msg == name .. ": bad binary format (truncated chunk)")
  assert(os.remove(name))
end

-- Red Moon specifics: its own format after PUC's header
if is_red_moon then
  local d = string.dump(function () end)
  assert(d:sub(32, 38) == "RedMoon")
  -- PUC 5.4 bytecode (of `function () return 1 end`, stripped) is refused clearly
  local puc = "\x1b\x4c\x75\x61\x54\x00\x19\x93\x0d\x0a\x1a\x0a\x04\x08\x08\x78\x56\x00\z
    \x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x28\x77\x40\x00\x80\x81\x81\x00\x00\x02\z
    \x83\x01\x00\x00\x80\x48\x00\x02\x00\x47\x00\x01\x00\x80\x80\x80\x80\x80\x80\x80"
  local f, msg = load(puc)
  assert(f == nil and msg == "binary string: bad binary format (not a Red Moon chunk)")
  -- another format version
  local other = d:sub(1, 38) .. "\99" .. d:sub(40)
  assert(select(2, load(other)):find("format version mismatch"))
end

print "OK"
