-- File handles: opening, modes, errors, closing, tostring, seek, setvbuf, write.

local name = os.tmpname()

-- type and metatable
assert(io.type(io.stdout) == "file" and io.type(42) == nil and io.type({}) == nil)
assert(getmetatable(io.stdin).__name == "FILE*")
assert(not pcall(io.type))
assert(tostring(io.stdout):match("^file %(0x%x+%)$"))

-- standard files cannot be closed
do
  local ok, message = io.stderr:close()
  assert(ok == nil and message == "cannot close standard file")
  assert(io.type(io.stderr) == "file")
  local status, err = pcall(io.stdin.close)
  assert(not status and string.find(err, "got no value", 1, true))
end

-- invalid modes
for _, mode in ipairs{"rw", "rb+", "r+bk", "", "+", "b", "x"} do
  local ok, message = pcall(io.open, name, mode)
  assert(not ok and string.find(message, "bad argument #2 to 'io.open' (invalid mode)", 1, true))
end
for _, mode in ipairs{"r", "rb", "r+", "r+b", "w", "wb", "w+", "a", "a+", "ab", "a+b"} do
  assert(io.open(name, mode)):close()
end

-- failures are returned, with the C library's message and errno
do
  assert(os.remove(name))
  local f, message, code = io.open(name)
  assert(f == nil and message == name .. ": No such file or directory" and code == 2)
  f, message, code = io.open(name .. "/x/y", "w")
  assert(f == nil and code == 2 or code == 20)
end

-- writing returns the file; numbers are written with %.14g / %d
do
  local f <close> = assert(io.open(name, "w"))
  assert(f:write("a", 1, " ", 2.0, " ", 1/3, " ", -0.0, " ", 2^63, " ", math.mininteger) == f)
  assert(f:close())
  local g <close> = assert(io.open(name))
  assert(g:read("a") == "a1 2 0.33333333333333 -0 9.2233720368548e+18 -9223372036854775808")
  local ok, message = pcall(g.write, g, {})
  assert(not ok and string.find(message, "string expected, got table", 1, true))
  local r, m, c = g:write("x")       -- read-only file
  assert(r == nil and m == "Bad file descriptor" and c == 9)
end

-- closed files
do
  local f = assert(io.open(name))
  assert(f:close() == true)
  assert(tostring(f) == "file (closed)" and io.type(f) == "closed file")
  local ok, message = pcall(f.read, f)
  assert(not ok and string.find(message, "attempt to use a closed file", 1, true))
  ok, message = pcall(io.close, f)
  assert(not ok and string.find(message, "attempt to use a closed file", 1, true))
end

-- to-be-closed variables close files
do
  local outer
  do
    local f <close> = assert(io.open(name, "w"))
    outer = f
    assert(io.type(outer) == "file")
  end
  assert(io.type(outer) == "closed file")
end

-- seek
do
  local f <close> = assert(io.open(name, "w+"))
  assert(f:seek() == 0)
  f:write("hello world")
  assert(f:seek() == 11)
  assert(f:seek("cur", -5) == 6)
  assert(f:read(5) == "world")
  assert(f:seek("set") == 0)
  assert(f:read(5) == "hello")
  assert(f:seek("end") == 11)
  assert(f:seek("end", -1) == 10)
  local r, message, code = f:seek("set", -1)
  assert(r == nil and message == "Invalid argument" and code == 22)
  local ok, err = pcall(f.seek, f, "middle")
  assert(not ok and string.find(err, "invalid option 'middle'", 1, true))
  -- writing after reading goes where the reading stopped
  f:seek("set", 2)
  assert(f:read(1) == "l")
  f:write("L")
  f:seek("set")
  assert(f:read("a") == "helLo world")
end

-- buffering modes decide when another reader sees the data
do
  local w = assert(io.open(name, "w"))
  local r <close> = assert(io.open(name, "r"))
  assert(w:setvbuf("full", 1024) == true)
  w:write("x")
  assert(r:read("a") == "")
  assert(w:flush() == true)
  r:seek("set")
  assert(r:read("a") == "x")
  assert(w:setvbuf("line"))
  w:write("y")
  r:seek("set")
  assert(r:read("a") == "x")
  w:write("z\n")
  r:seek("set")
  assert(r:read("a") == "xyz\n")
  assert(w:setvbuf("no"))
  w:write("!")
  r:seek("set")
  assert(r:read("a") == "xyz\n!")
  local ok, err = pcall(function () return w:setvbuf() end)
  assert(not ok and string.find(err, "bad argument #1 to 'setvbuf' (string expected, got no value)", 1, true))
  w:close()
end

-- tmpfile
do
  local f = io.tmpfile()
  assert(io.type(f) == "file")
  f:write("temporary")
  f:seek("set")
  assert(f:read("a") == "temporary")
  assert(f:close())
end

assert(os.remove(name))
print("OK")
