-- require, package.loaded, package.preload and package.searchers (manual §6.3), with
-- lua5.4's results and messages. Needs no file: the searchers used here are the preload
-- searcher and searchers written in Lua.

local function fails(expected, f, ...)
  local ok, message = pcall(f, ...)
  assert(not ok, "call should have failed")
  assert(message == expected, "unexpected message: " .. tostring(message))
end

-- standard libraries are registered in package.loaded
assert(require "string" == string and require "_G" == _G)
assert(require "coroutine" == coroutine and require "table" == table)
assert(require "math" == math and require "utf8" == utf8)
assert(require "package" == package)
assert(package.loaded._G == _G and package.loaded.string == string)
assert(select("#", require "string") == 1)     -- already loaded: one value
assert(type(package.preload) == "table" and type(package.searchers) == "table")
assert(package.config == "/\n;\n?\n!\n-\n")

-- loadlib never loads native code here; lua5.4 fails too for a missing library
local f, message, where = package.loadlib("./no-such-library.so", "luaopen_x")
assert(f == nil and type(message) == "string" and (where == "absent" or where == "open"))
fails("bad argument #2 to 'package.loadlib' (string expected, got no value)",
      package.loadlib, "x")

-- the loader gets the name and the extra value; require returns both results
local calls = 0
package.preload.pre = function (...)
  calls = calls + 1
  local name, extra = ...
  assert(select("#", ...) == 2 and name == "pre" and extra == ":preload:")
  return {answer = 42}
end
local module, extra = require "pre"
assert(module.answer == 42 and extra == ":preload:" and calls == 1)
assert(package.loaded.pre == module)
assert(require "pre" == module and calls == 1)          -- not loaded twice
assert(select("#", require "pre") == 1)

-- a loader that returns nothing: the module is 'true'
package.preload.nothing = function () end
assert(require "nothing" == true and package.loaded.nothing == true)

-- a loader that sets package.loaded itself (and requires itself meanwhile)
package.preload.selfset = function (name)
  package.loaded[name] = "set by the module"
  assert(require(name) == "set by the module")
end
assert(require "selfset" == "set by the module")

-- a non-nil result wins over what the module stored
package.preload.both = function (name)
  package.loaded[name] = "stored"
  return "returned"
end
assert(require "both" == "returned" and package.loaded.both == "returned")

-- a false value in package.loaded does not count as loaded
package.loaded.falsy = false
package.preload.falsy = function () return "reloaded" end
assert(require "falsy" == "reloaded")

-- errors in a loader propagate unchanged
package.preload.broken = function () error({code = 7}) end
local ok, err = pcall(require, "broken")
assert(not ok and type(err) == "table" and err.code == 7)
assert(package.loaded.broken == nil)

-- names are used up to their first NUL byte (except by the loader)
package.preload.cut = function (name, extra)
  assert(name == "cut\0tail" and extra == ":preload:")
  return "cut module"
end
assert(require "cut\0tail" == "cut module")
assert(package.loaded.cut == "cut module" and package.loaded["cut\0tail"] == nil)

-- numbers are names too
package.preload["12"] = function (name) return name end
assert(require(12) == "12")

-- argument checks
fails("bad argument #1 to 'require' (string expected, got no value)", require)
fails("bad argument #1 to 'require' (string expected, got table)", require, {})

-- require keeps its own 'package': replacing the global does not matter
do
  local saved = package
  package = {}
  assert(require "pre" == module)
  package = saved
end

-- custom searchers: strings (and numbers) make up the message, other results are skipped
do
  local saved = package.searchers
  local seen = {}
  package.searchers = {
    function (name) seen[#seen + 1] = name; return "first " .. name end,
    function () return nil end,
    function () return 42 end,
    function () return true, "ignored" end,
    function () return "last" end,
  }
  fails("module 'm' not found:\n\tfirst m\n\t42\n\tlast", require, "m")
  assert(#seen == 1 and seen[1] == "m")

  package.searchers = {}
  fails("module 'none' not found:", require, "none")

  -- a searcher's second result is the loader's extra value
  package.searchers = {
    function (name)
      return function (n, x) return {n, x} end, {tag = name}
    end,
  }
  local result, data = require "custom"
  assert(result[1] == "custom" and result[2] == data and data.tag == "custom")

  -- extra values of any type, nil included
  package.searchers = {function () return function () return 1 end end}
  local value, none = require "noextra"
  assert(value == 1 and none == nil and select("#", require "noextra") == 1)

  -- the table is read raw, and again at each step
  package.searchers = setmetatable({}, {__index = function () error("not raw") end})
  fails("module 'raw' not found:", require, "raw")
  package.searchers = {
    function () package.searchers[2] = function () return "added" end; return "one" end,
  }
  fails("module 'late' not found:\n\tone\n\tadded", require, "late")

  package.searchers = 3
  local ok, message = pcall(require, "x")
  assert(not ok and string.find(message, "'package.searchers' must be a table", 1, true))

  package.searchers = saved
end

-- the preload searcher on its own
local searcher = package.searchers[1]
local loader, data = searcher("pre")
assert(loader == package.preload.pre and data == ":preload:")
assert(searcher("absent") == "no field package.preload['absent']")

-- "not found" errors name the caller's position
local ok, message = pcall(function () require "absent.module" end)
assert(not ok and string.find(message, "^.-:%d+: module 'absent.module' not found:\n\t" ..
  "no field package.preload%['absent.module'%]"))

-- clearing an entry of package.loaded makes require load the module again
package.loaded.pre = nil
assert(require "pre" ~= module and calls == 2)

print("OK")
