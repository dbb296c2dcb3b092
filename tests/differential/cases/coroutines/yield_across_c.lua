-- Yielding from Lua code called by a C function (PUC: "attempt to yield across a C-call
-- boundary"), versus metamethods and iterators, which may yield.
local via_xpcall = coroutine.wrap(function()
  return xpcall(function() coroutine.yield(1) error("boom") end, function(m) coroutine.yield("in handler?"); return "handled " .. m end)
end)
print(pcall(via_xpcall))
print(pcall(via_xpcall))
local sort_yield = coroutine.wrap(function()
  local t = {3, 1, 2}
  table.sort(t, function(a, b) coroutine.yield("cmp") return a < b end)
end)
print(pcall(sort_yield))
local gsub_yield = coroutine.wrap(function()
  return (string.gsub("abc", "%w", function(c) coroutine.yield(c) end))
end)
print(pcall(gsub_yield))
local tostring_yield = coroutine.wrap(function()
  return tostring(setmetatable({}, {__tostring = function() coroutine.yield("ts") return "x" end}))
end)
print(pcall(tostring_yield))
local load_yield = coroutine.wrap(function()
  return load(function() coroutine.yield("reader") return nil end)
end)
print(pcall(load_yield))
local pcall_yield = coroutine.wrap(function()
  local ok, v = pcall(coroutine.yield, "yield through pcall")
  return "after", ok, v
end)
print(pcall_yield())
print(pcall_yield("resumed"))
local concat_yield = coroutine.wrap(function()
  local o = setmetatable({}, {__concat = function() return coroutine.yield("concat") end})
  return "a" .. o .. "b"
end)
print(concat_yield())
print(concat_yield("C"))
local eq_yield = coroutine.wrap(function()
  local mt = {__eq = function() return coroutine.yield("eq") end, __lt = function() return coroutine.yield("lt") end}
  local a, b = setmetatable({}, mt), setmetatable({}, mt)
  local r1 = a == b
  local r2 = a < b
  return r1, r2
end)
print(eq_yield())
print(eq_yield(false))
print(eq_yield(1))
local close_yield = coroutine.wrap(function()
  do
    local c <close> = setmetatable({}, {__close = function() coroutine.yield("in __close") end})
  end
  return "closed"
end)
print(close_yield())
print(close_yield())
