-- error(): levels, non-string values, nil, and how positions are added.
local function level1() error("at level 1") end
local function level2() error("at level 2", 2) end
local function level0() error("no position", 0) end
local function caller() level2() end
print(pcall(level1))
print(pcall(level2))
print(pcall(caller))
print(pcall(level0))
print(pcall(error))
print(pcall(error, nil))
print(pcall(error, "msg"))
print(pcall(error, "msg", 1))
print(pcall(error, "msg", 2))
print(pcall(error, "msg", 3))
print(pcall(error, 42))
print(pcall(error, 42.5))
print(pcall(error, true))
print(pcall(error, false))
local ok, e = pcall(error, {code = 7})
print(ok, type(e), e.code)
local err_table = {}
local ok2, e2 = pcall(function() error(err_table) end)
print(ok2, e2 == err_table)
print(pcall(function() error("with number level", 1.0) end))
print(pcall(function() error("msg", "2") end))
print(pcall(function() error(setmetatable({}, {__tostring = function() return "tostring'd" end})) end))
local function deep(n) if n == 0 then error("deep error", 3) end deep(n - 1) end
print(pcall(deep, 5))
local function lvl(n) error("level " .. n, n) end
for n = 0, 4 do print(pcall(lvl, n)) end
print(pcall(function() local x = nil; x() end))
print(select(2, pcall(error, "select form")))
print(pcall(pcall))
print(pcall(pcall, error))
print(pcall(pcall, error, "inner"))
print(pcall(function() error() end))
print(pcall(function() error(nil, 2) end))
local function thrower() error("thrown") end
local function rethrow()
  local ok, msg = pcall(thrower)
  error(msg, 0)
end
print(pcall(rethrow))
local function wrap_msg()
  local ok, msg = pcall(thrower)
  error("wrapped: " .. msg)
end
print(pcall(wrap_msg))
print(pcall(assert, false))
print(pcall(assert, nil, "custom assert message"))
print(pcall(assert, false, 42))
print(pcall(assert, 1, 2, 3))
print(pcall(assert))
local ok3, e3 = pcall(assert, false, {1})
print(ok3, type(e3))
print(pcall(function() assert(false, "in function") end))
print(pcall(function() assert(1 == 2) end))
