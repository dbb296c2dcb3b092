-- The os functions that reach the host: getenv, remove, rename, tmpname, setlocale,
-- execute (only the query form).

assert(type(os.getenv("PATH")) == "string")
assert(os.getenv("RED_MOON_SURELY_UNDEFINED_VARIABLE") == nil)
assert(os.getenv("") == nil)
assert(not pcall(os.getenv))

-- tmpname creates the file
local name = os.tmpname()
assert(type(name) == "string" and name ~= os.tmpname())
do
  local f <close> = assert(io.open(name, "r"))
  assert(f:read("a") == "")
end

-- rename and remove, with their failures
do
  local other = name .. ".renamed"
  assert(os.rename(name, other) == true)
  local ok, message, code = os.rename(name, other)
  assert(ok == nil and message == "No such file or directory" and code == 2)
  assert(os.remove(other) == true)
  ok, message, code = os.remove(other)
  assert(ok == nil and message == other .. ": No such file or directory" and code == 2)
end

-- only the C locale
assert(os.setlocale() == "C")
assert(os.setlocale("C") == "C")
assert(os.setlocale("C", "numeric") == "C")
assert(os.setlocale(nil, "all") == "C")
assert(os.setlocale("xx_NOT_A_LOCALE") == nil)
do
  local ok, message = pcall(os.setlocale, nil, "bad")
  assert(not ok and string.find(message, "bad argument #2 to 'os.setlocale' (invalid option 'bad')", 1, true))
end

-- os.execute() tells whether a shell is available
assert(type(os.execute()) == "boolean")

print("OK")
