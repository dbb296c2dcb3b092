-- require of Lua files found on package.path, and the C searchers' handling of files
-- they find (manual §6.3). The modules are in fixtures/ next to this script (found
-- through arg[0]); they end in ".mod" so that nobody runs them as tests.
-- Needs the host flavour of the library (the standalone interpreter's).

local dir = arg and arg[0] and string.match(arg[0], "^(.*)/[^/]*$") or "."
local fixtures = dir .. "/fixtures/"
package.path = fixtures .. "?.mod;" .. fixtures .. "?/init.mod"
package.cpath = ""

-- the loader gets the name and the file name; require returns the file name too
local greeting, file = require "greeting"
assert(greeting.text == "hello" and greeting.name == "greeting")
assert(file == fixtures .. "greeting.mod" and greeting.file == file)
assert(package.searchpath("greeting", package.path) == file)
assert(require "greeting" == greeting)

-- packages: '.' becomes the directory separator; ?/init.mod for the package itself
local pkg, pkg_file = require "pkg"
assert(pkg.level == "package" and pkg.name == "pkg" and pkg_file == fixtures .. "pkg/init.mod")
local sub, sub_file = require "pkg.sub"
assert(sub.level == "sub" and sub.name == "pkg.sub" and sub_file == fixtures .. "pkg/sub.mod")
assert(sub.file == sub_file)

-- a first line starting with '#' is skipped, as by loadfile
assert(require "shebang" == "first line skipped")

-- a module with no result is 'true'; it runs once
COUNT = nil
assert(require "counter" == true and COUNT == 1)
assert(require "counter" == true and COUNT == 1)
package.loaded.counter = nil
assert(require "counter" == true and COUNT == 2)

-- syntax errors are reported with the file name
local ok, message = pcall(require, "syntax_error")
assert(not ok)
assert(string.find(message, "^error loading module 'syntax_error' from file '" ..
                            fixtures:gsub("%p", "%%%0") .. "syntax_error.mod':\n\t"))
assert(string.find(message, "unexpected symbol near <eof>$"))

-- run-time errors propagate unchanged and the module is not recorded
ok, message = pcall(require, "runtime_error")
assert(not ok and string.find(message, ":2: boom$") and LOADED_BEFORE_ERROR)
assert(package.loaded.runtime_error == nil)

-- a file the C searchers find is never run as Lua code: loading it fails
package.path = ""
package.cpath = fixtures .. "?.mod"
package.loaded.greeting = nil
ok, message = pcall(require, "greeting")
assert(not ok and string.find(message, "^error loading module 'greeting' from file '" ..
                                       fixtures:gsub("%p", "%%%0") .. "greeting.mod':\n\t"))
-- the all-in-one searcher looks for the root of a dotted name
ok, message = pcall(require, "counter.part")
assert(not ok and string.find(message, "^error loading module 'counter.part' from file '" ..
                                       fixtures:gsub("%p", "%%%0") .. "counter.mod':\n\t"))

print("OK")
