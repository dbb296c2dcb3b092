-- The default input and output files: io.input, io.output, io.read, io.write, io.close.

local name = os.tmpname()

assert(io.input() == io.stdin and io.output() == io.stdout)
assert(io.input(io.stdin) == io.stdin)

-- io.output(name) opens for writing; io.write returns the output file
do
  local out = io.output(name)
  assert(io.type(out) == "file" and io.output() == out and out ~= io.stdout)
  assert(io.write("line 1\n", 2, "\n") == out)
  assert(io.close() == true)              -- closes the default output
  local ok, message = pcall(io.write, "x")
  assert(not ok and string.find(message, "default output file is closed", 1, true))
  ok, message = pcall(io.close)
  assert(not ok and string.find(message, "attempt to use a closed file", 1, true))
  io.output(io.stdout)
end

-- io.input(name) opens for reading
do
  io.input(name)
  assert(io.read() == "line 1")
  assert(io.read("n") == 2)
  assert(io.read("L") == "\n")
  assert(io.read() == nil)
  local lines = 0
  io.input(name)
  for line in io.lines() do lines = lines + 1 end
  assert(lines == 2)
  assert(io.type(io.input()) == "file")   -- io.lines() leaves the default input open
  io.close(io.input())
  local ok, message = pcall(io.read)
  assert(not ok and string.find(message, "default input file is closed", 1, true))
  ok, message = pcall(io.lines)
  assert(not ok and string.find(message, "attempt to use a closed file", 1, true))
  io.input(io.stdin)
end

-- errors
do
  local ok, message = pcall(io.input, name .. ".missing")
  assert(not ok and message == "cannot open file '" .. name .. ".missing' (No such file or directory)")
  local f = assert(io.open(name))
  f:close()
  ok, message = pcall(io.output, f)
  assert(not ok and string.find(message, "attempt to use a closed file", 1, true))
  ok, message = pcall(io.input, {})
  assert(not ok and string.find(message, "FILE* expected, got table", 1, true))
end

assert(os.remove(name))
print("OK")
