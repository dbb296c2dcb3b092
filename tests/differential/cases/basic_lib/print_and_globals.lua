-- print with many values, _G and _ENV, global assignment, rawget/rawset on _G, _VERSION.
print()
print(nil)
print(nil, nil)
print(1, "two", 3.0, true, false, nil, "end")
print(_VERSION, _G._G == _G, _ENV == _G, type(_G))
x_global = 42
print(_G.x_global, rawget(_G, "x_global"), _ENV.x_global)
_G.y_global = "set via _G"
print(y_global)
rawset(_G, "z_global", "raw")
print(z_global)
do
  local _ENV = {print = print, tostring = tostring}
  w = 1
  print(w, _ENV.w, tostring(x_global))
end
print(w, rawget(_G, "w"))
local function with_env()
  local _ENV = setmetatable({}, {__index = _G})
  newvar = "in custom env"
  return newvar, rawget(_G, "newvar")
end
print(with_env())
local names = {}
for _, lib in ipairs({"string", "table", "math", "utf8", "coroutine", "os", "io", "debug", "package"}) do
  names[#names + 1] = lib .. ":" .. type(_G[lib])
end
print(table.concat(names, " "))
local basics = {}
for _, fname in ipairs({"assert", "collectgarbage", "dofile", "error", "getmetatable", "ipairs", "load",
                        "loadfile", "next", "pairs", "pcall", "print", "rawequal", "rawget", "rawlen",
                        "rawset", "require", "select", "setmetatable", "tonumber", "tostring", "type",
                        "warn", "xpcall"}) do
  basics[#basics + 1] = fname .. ":" .. type(_G[fname])
end
print(table.concat(basics, " "))
local function sorted_keys(t)
  local ks = {}
  for k, v in pairs(t) do if type(v) == "function" then ks[#ks + 1] = k end end
  table.sort(ks)
  return table.concat(ks, " ")
end
print("string:", sorted_keys(string))
print("table:", sorted_keys(table))
print("math:", sorted_keys(math))
print("utf8:", sorted_keys(utf8))
print("coroutine:", sorted_keys(coroutine))
print("os:", sorted_keys(os))
setmetatable(_G, {__index = function(_, k) return "default for " .. k end})
print(undefined_name)
setmetatable(_G, nil)
print(undefined_name)
local tostr_calls = 0
local obj = setmetatable({}, {__tostring = function() tostr_calls = tostr_calls + 1; return "O" end})
print(obj, obj, obj)
print(tostr_calls)
local saved = tostring
tostring = function() return "replaced" end
print(1, "x")
tostring = saved
print(pcall(print, setmetatable({}, {__tostring = function() error("tostring failed") end})))
print(pcall(print, setmetatable({}, {__tostring = function() return nil end})))
print(pcall(print, setmetatable({}, {__name = "NamedThing", __tostring = function() return true end})))
print(("%s"):format(setmetatable({}, {__tostring = function() return "via format" end})))
