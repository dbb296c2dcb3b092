-- The .. operator: numbers, right associativity, long chains, errors with variable names.
print("a" .. "b" .. "c", 1 .. 2, 1.0 .. 2, -1 .. -2, 2^63 .. "", math.mininteger .. "")
print("x" .. 1 + 2, ("x" .. 1) .. 2, "a" .. ("b" .. "c"))
local parts = {}
for i = 1, 50 do parts[i] = i end
print(table.concat(parts, ","))
local s = ""
for i = 1, 30 do s = s .. i .. (i % 2 == 0 and "|" or "") end
print(s, #s)
local a, b, c, d, e = "1", 2, 3.5, "4", 5
print(a .. b .. c .. d .. e)
print(pcall(function() local x; return "a" .. x end))
print(pcall(function() return "a" .. undefined_global end))
print(pcall(function() local t = {}; return t.field .. "a" end))
print(pcall(function() local t = {}; return "a" .. t end))
print(pcall(function() return "a" .. {} .. "b" end))
print(pcall(function() return 1 .. true end))
print(pcall(function() local up = nil; return (function() return up .. "x" end)() end))
print(pcall(function() return "a" .. "b" .. nil end))
print(pcall(function() local t = {}; return t.x .. t.y end))
print(pcall(function() return ("x"):rep(3) .. print end))
local mt = {__concat = function(l, r)
  local function name(v) return type(v) == "table" and "T" or tostring(v) end
  return name(l) .. "+" .. name(r)
end}
local obj = setmetatable({}, mt)
print(obj .. "s", "s" .. obj, obj .. obj, 1 .. obj, obj .. 2.5)
print("a" .. "b" .. obj, obj .. "a" .. "b", "a" .. obj .. "b")
print(#("x"):rep(1000) .. ("y"):rep(1000))
