-- attack: xpcall(f, f): an error handler that errors again, recursively.
-- expect: ok
local function f() error("boom") end
local ok, err = xpcall(f, f)
assert(not ok and err == "error in error handling", err)
local function h(e) error({}) end
print(xpcall(error, h))
