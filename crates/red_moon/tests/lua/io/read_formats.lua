-- The formats of read: "n", "l", "L", "a", byte counts, several at once.

local name = os.tmpname()

local function write_file(contents)
  local f <close> = assert(io.open(name, "wb"))
  assert(f:write(contents) == f)
end

local function reader(contents)
  write_file(contents)
  return assert(io.open(name, "rb"))
end

-- lines, with and without the newline; the last line may lack one
do
  local f <close> = reader("one\ntwo\n\nlast")
  assert(f:read() == "one")
  assert(f:read("L") == "two\n")
  assert(f:read("l") == "")
  assert(f:read("*l") == "last")        -- old form with '*'
  assert(f:read("l") == nil)
  assert(f:read("L") == nil)
  assert(f:read("a") == "")             -- "a" never fails
  assert(f:read(0) == nil)              -- end of file
end

-- counts and read(0) as end-of-file test
do
  local f <close> = reader("abcdef")
  assert(f:read(0) == "")
  assert(f:read(2) == "ab")
  assert(f:read(10) == "cdef")
  assert(f:read(1) == nil)
  assert(f:read(0) == nil)
end

-- several formats: stops at the first failure, which gives nil
do
  local f <close> = reader("a line\n12 3.5 x\nrest")
  local l, n1, n2, n3, rest = f:read("l", "n", "n", "n", "a")
  assert(l == "a line" and n1 == 12 and math.type(n1) == "integer")
  assert(n2 == 3.5 and n3 == nil and rest == nil)
  assert(f:read(2) == "x\n")
  local all, after = f:read("a", "a")
  assert(all == "rest" and after == "")
end

-- numerals: the longest prefix that looks like a number is consumed
do
  local f <close> = reader("-12.3-\t-0xffff+  .3|5.E-3X  +234e+13E 0x1.8p1z 0x10 1e5")
  assert(f:read("n") == -12.3); assert(f:read(1) == "-")
  assert(f:read("n") == -0xffff); assert(f:read(2) == "+ ")
  assert(f:read("n") == 0.3); assert(f:read(1) == "|")
  assert(f:read("n") == 5e-3); assert(f:read(1) == "X")
  assert(f:read("n") == 234e13); assert(f:read(1) == "E")
  assert(f:read("n") == 3.0); assert(f:read(1) == "z")
  local hex = f:read("n")
  assert(hex == 16 and math.type(hex) == "integer")
  local e = f:read("n")
  assert(e == 1e5 and math.type(e) == "float")
  assert(f:read("n") == nil)
end

-- invalid numerals are consumed anyway
do
  local f <close> = reader(".e+\t0.e;\t--;  0xX;")
  assert(not f:read("n")); assert(f:read(2) == "e+")
  assert(not f:read("n")); assert(f:read(1) == ";")
  assert(not f:read("n")); assert(f:read(2) == "-;")
  assert(not f:read("n")); assert(f:read(1) == "X")
end

-- numerals longer than 200 characters fail after consuming 200 of them
do
  local f <close> = reader("1" .. string.rep("0", 300) .. "\n")
  assert(f:read("n") == nil)
  assert(f:read("L") == string.rep("0", 101) .. "\n")
end

-- format errors
do
  local f <close> = reader("data")
  local ok, message = pcall(f.read, f, "x")
  assert(not ok and string.find(message, "invalid format", 1, true))
  ok, message = pcall(f.read, f, {})
  assert(not ok and string.find(message, "string expected, got table", 1, true))
  ok, message = pcall(f.read, f, 1.5)
  assert(not ok and string.find(message, "number has no integer representation", 1, true))
  ok, message = pcall(function () return f:read("") end)
  assert(not ok and string.find(message, "bad argument #1 to 'read' (invalid format)", 1, true))
  ok, message = pcall(io.read, {})
  assert(not ok and string.find(message, "bad argument #1 to 'io.read' (string expected, got table)", 1, true))
end

-- reading a file open only for writing reports the error
do
  local f <close> = assert(io.open(name, "w"))
  local r, message, code = f:read()
  assert(r == nil and message == "Bad file descriptor" and code == 9)
end

assert(os.remove(name))
print("OK")
