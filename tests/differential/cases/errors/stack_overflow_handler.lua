-- An xpcall message handler can handle "stack overflow": it runs in extra stack, creates
-- and closes to-be-closed variables, and what it returns is xpcall's result.

local function overflow (n) return 1 + overflow(n + 1) end

local closed = 0
local function handler (m)
  local x <close> = setmetatable({}, {__close = function () closed = closed + 1 end})
  return "handled: " .. tostring(string.find(m, "stack overflow") ~= nil)
end

print(xpcall(overflow, handler, 0))
print("closed", closed)

-- the same inside a coroutine, with a pending variable below the xpcall
local co = coroutine.wrap(function ()
  local y <close> = setmetatable({}, {__close = function (_, e) print("y closed", e) end})
  print(xpcall(overflow, handler, 0))
  return "end"
end)
print(co())

-- a handler that overflows itself ends in "error in error handling"
local function bad_handler (m) return overflow(0) end
print(xpcall(overflow, bad_handler, 0))
