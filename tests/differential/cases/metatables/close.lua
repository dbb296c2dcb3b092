-- to-be-closed variables: order, error objects, and the __close metamethod.
local function closer(name)
  return setmetatable({}, {__close = function(self, err) print("close", name, err) end})
end
do
  local a <close> = closer("a")
  local b <close> = closer("b")
  local c <close> = nil
  local d <close> = false
  print("in block")
end
print("after block")
local function early_return()
  local x <close> = closer("x")
  local y <close> = closer("y")
  return "returned"
end
print(early_return())
local function with_error()
  local x <close> = closer("x-err")
  local y <close> = closer("y-err")
  error("boom")
end
print(pcall(with_error))
local function error_in_close()
  local x <close> = setmetatable({}, {__close = function(_, err) print("first close sees", err); error("close error 1", 0) end})
  local y <close> = setmetatable({}, {__close = function(_, err) print("second close sees", err); error("close error 2", 0) end})
  return "never"
end
print(pcall(error_in_close))
local function error_then_close_error()
  local x <close> = setmetatable({}, {__close = function(_, err) print("close sees", err); error("from close", 0) end})
  error("original", 0)
end
print(pcall(error_then_close_error))
print(pcall(function() local x <close> = {} end))
print(pcall(function() local x <close> = 42 end))
print(pcall(function() local x <close> = "str" end))
for i = 1, 3 do
  local c <close> = closer("loop " .. i)
  if i == 2 then break end
end
local function in_for()
  for i = 1, 2 do
    local c <close> = closer("for " .. i)
    if i == 2 then return "ret from loop" end
  end
end
print(in_for())
local function generic_for_close()
  local function iter(s, i)
    if i < 3 then return i + 1 end
  end
  for i in iter, nil, 0, closer("generic for state") do
    if i == 2 then break end
    print("iteration", i)
  end
  print("after generic for")
end
generic_for_close()
local co = coroutine.wrap(function()
  local c <close> = closer("coroutine")
  coroutine.yield("yielded")
  return "finished"
end)
print(co())
print(co())
local co2 = coroutine.create(function()
  local c <close> = closer("closed by coroutine.close")
  coroutine.yield()
end)
coroutine.resume(co2)
print(coroutine.close(co2), coroutine.status(co2))
local co3 = coroutine.create(function()
  local c <close> = setmetatable({}, {__close = function() error("close failed", 0) end})
  coroutine.yield()
end)
coroutine.resume(co3)
print(coroutine.close(co3))
print(pcall(function()
  local x <const> = 10
  local y <close> = closer("with const")
  return x * 2
end))
local function nested()
  local outer <close> = closer("outer")
  do
    local inner <close> = closer("inner")
  end
  print("between")
end
nested()
print(load("local x <close> = nil; x = 1"))
print(load("local x <const> = 1; x = 2"))
print(load("local x <foo> = 1"))
print(load("local a <close>, b <close> = 1, 2"))
local tbc_err = setmetatable({}, {__close = function(_, e) print("err object type", type(e), e == nil) end})
local ok, e = pcall(function() local v <close> = tbc_err; error({code = 1}) end)
print(ok, type(e), e.code)
print(pcall(function() local v <close> = tbc_err; error() end))
