-- package.searchpath, package.path and package.cpath, and the "not found" message of the
-- file searchers (manual §6.3). Only names of files that do not exist are searched.
-- Needs the host flavour of the library (the standalone interpreter's).

local function fails(expected, f, ...)
  local ok, message = pcall(f, ...)
  assert(not ok, "call should have failed")
  assert(message == expected, "unexpected message: " .. tostring(message))
end

assert(type(package.path) == "string" and type(package.cpath) == "string")
assert(#package.searchers == 4)

-- the message lists every template with the name in place of each '?'
local function search(...)
  local found, message = package.searchpath(...)
  assert(found == nil)
  return message
end
local missing = "no-such-module-xyz"
assert(search(missing, "./?.lua;./?/init.lua") ==
  "no file './" .. missing .. ".lua'\n\tno file './" .. missing .. "/init.lua'")
assert(search("a.b.c", "?.x;?") == "no file 'a/b/c.x'\n\tno file 'a/b/c'")
assert(search("a.b", "?", "") == "no file 'a.b'")                 -- no separator
assert(search("a-b", "?", "-", "+") == "no file 'a+b'")
assert(search("a..b", "?;;?", "..", "/") == "no file 'a/b'\n\tno file ''\n\tno file 'a/b'")
assert(search("a", "") == "no file ''")
assert(search("a", "??") == "no file 'aa'")
assert(search("a;b", "?.lua") == "no file 'a'\n\tno file 'b.lua'")  -- ';' from the name
assert(search("a\0b", "./?.x;?\0z") == "no file './a.x'\n\tno file 'a'")   -- C strings
assert(search(1, 2, 3, 4) == "no file '2'")
fails("bad argument #2 to 'package.searchpath' (string expected, got no value)",
      package.searchpath, "a")
fails("bad argument #3 to 'package.searchpath' (string expected, got table)",
      package.searchpath, "a", "?", {})

-- many templates, and long ones
do
  local t = {}
  for i = 1, 100 do t[i] = string.rep("?", i % 10 + 1) end
  t[#t + 1] = ";"
  local message = search("xuxu", table.concat(t, ";"))
  assert(string.find(message, string.rep("xuxu", 10), 1, true))
  assert(#string.gsub(message, "[^\n]", "") >= 100)
  assert(string.find(search("xuxu", string.rep("?", 100)), string.rep("xuxu", 100), 1, true))
end

-- the message of require lists the Lua files, then the C libraries
do
  local path, cpath = package.path, package.cpath
  package.path = "?.lua;?/?"
  package.cpath = "?.so;?/init"
  fails([[module 'XXX' not found:
	no field package.preload['XXX']
	no file 'XXX.lua'
	no file 'XXX/XXX'
	no file 'XXX.so'
	no file 'XXX/init']], require, "XXX")

  -- a dotted name: the all-in-one searcher tries the root's C library
  package.path = "./?.lua"
  package.cpath = "./?.so"
  fails([[module 'no_such.sub' not found:
	no field package.preload['no_such.sub']
	no file './no_such/sub.lua'
	no file './no_such/sub.so'
	no file './no_such.so']], require, "no_such.sub")

  -- paths may be numbers; anything else is an error
  package.path = 42
  package.cpath = ""
  fails([[module 'n' not found:
	no field package.preload['n']
	no file '42'
	no file '']], require, "n")
  package.path = {}
  local ok, message = pcall(require, "no-such-file")
  assert(not ok and string.find(message, "'package.path' must be a string", 1, true))
  package.path = "?"
  package.cpath = nil
  ok, message = pcall(require, "no-such-file")
  assert(not ok and string.find(message, "'package.cpath' must be a string", 1, true))

  package.path, package.cpath = path, cpath
end

-- the default paths: every template appears in the message
local name = "file_does_not_exist2"
local ok, message = pcall(require, name)
assert(not ok)
for template in string.gmatch(package.path .. ";" .. package.cpath, "[^;]+") do
  assert(string.find(message, (string.gsub(template, "?", name)), 1, true))
end

print("OK")
