-- io.lines and file:lines.

local name = os.tmpname()
do
  local f <close> = assert(io.open(name, "w"))
  f:write("first\nsecond\n\nfourth")
end

-- io.lines(name) closes the file at the end
do
  local count = 0
  local iterator = io.lines(name)
  while iterator() do count = count + 1 end
  assert(count == 4)
  local ok, message = pcall(iterator)
  assert(not ok and string.find(message, "file is already closed", 1, true))
end

-- it returns four values: the file is the loop's to-be-closed variable
do
  local iterator, state, control, file = io.lines(name)
  assert(type(iterator) == "function" and state == nil and control == nil)
  assert(io.type(file) == "file")
  for line in iterator, state, control, file do break end
  assert(io.type(file) == "closed file")
end

-- leaving the loop with an error closes the file too
do
  local captured
  local function loop_with_error ()
    local iterator, state, control, file = io.lines(name)
    captured = file
    for line in iterator, state, control, file do error("stop") end
  end
  local ok, message = pcall(loop_with_error)
  assert(not ok and string.find(message, "stop", 1, true))
  assert(io.type(captured) == "closed file")
end

-- formats
do
  local all = {}
  for line in io.lines(name, "L") do all[#all + 1] = line end
  assert(table.concat(all) == "first\nsecond\n\nfourth")
  for a, b in io.lines(name, 3, "l") do
    assert(a == "fir" and b == "st")
    break
  end
end

-- file:lines does not close the file
do
  local f <close> = assert(io.open(name))
  local lines = {}
  for line in f:lines() do lines[#lines + 1] = line end
  assert(#lines == 4 and lines[3] == "" and lines[4] == "fourth")
  assert(io.type(f) == "file")
  assert(f:read("a") == "")
end

-- at most 250 formats
do
  local formats = {}
  for i = 1, 250 do formats[i] = 1 end
  local long = name .. ".long"
  local f <close> = assert(io.open(long, "w"))
  f:write(string.rep("a", 300))
  f:close()
  local values = {io.lines(long, table.unpack(formats))()}
  assert(#values == 250 and values[1] == "a" and values[250] == "a")
  assert(os.remove(long))
  formats[251] = 1
  local ok, message = pcall(io.lines, name, table.unpack(formats))
  assert(not ok and string.find(message, "bad argument #252 to 'io.lines' (too many arguments)", 1, true))
  local f <close> = assert(io.open(name))
  ok, message = pcall(function () return f:lines(table.unpack(formats)) end)
  assert(not ok and string.find(message, "bad argument #251 to 'lines' (too many arguments)", 1, true))
end

-- errors
do
  local ok, message = pcall(io.lines, name .. ".missing")
  assert(not ok and message == "cannot open file '" .. name .. ".missing' (No such file or directory)")
  ok, message = pcall(function () for l in io.lines(name, "x") do end end)
  assert(not ok and string.find(message, "bad argument #2 to 'for iterator' (invalid format)", 1, true))
  -- a read error inside the loop is raised
  local f <close> = assert(io.open(name, "a"))
  ok, message = pcall(f:lines())
  assert(not ok and string.find(message, "Bad file descriptor", 1, true))
end

-- lines works as a reader for load
do
  local f <close> = assert(io.open(name, "w"))
  f:write("x = 10\nx = x * 2\nreturn x\n")
  f:close()
  assert(load((io.lines(name, "L")))() == 20)
  assert(load((io.lines(name, 1)))() == 20)
end

assert(os.remove(name))
print("OK")
