-- __index and __newindex: tables, functions, chains, rawget/rawset bypass.
local base = {greet = "hello", n = 1}
local mid = setmetatable({mid = "middle"}, {__index = base})
local top = setmetatable({}, {__index = mid})
print(top.greet, top.mid, top.n, top.missing, rawget(top, "greet"))
local calls = {}
local fn = setmetatable({}, {__index = function(t, k) calls[#calls + 1] = tostring(k); return k .. "!" end})
print(fn.a, fn.b, fn[1], table.concat(calls, ","))
fn.a = "set"
print(fn.a, rawget(fn, "a"))
local log = {}
local store = {}
local guarded = setmetatable({}, {__newindex = function(t, k, v) log[#log + 1] = k .. "=" .. tostring(v); rawset(t, k, v) end})
guarded.x = 1
guarded.x = 2
guarded.y = nil
print(guarded.x, table.concat(log, " "))
local redirect = setmetatable({}, {__newindex = store})
redirect.a = 10
print(rawget(redirect, "a"), store.a)
local chain_store = {}
local level2 = setmetatable({}, {__newindex = chain_store})
local level1 = setmetatable({}, {__newindex = level2})
level1.k = "v"
print(rawget(level1, "k"), rawget(level2, "k"), chain_store.k)
local existing = setmetatable({present = 1}, {__newindex = function() error("should not run") end})
existing.present = 2
print(existing.present)
local ro = setmetatable({}, {__newindex = function(t, k) error("read-only field " .. k, 2) end})
print(pcall(function() ro.field = 1 end))
local str_index = setmetatable({}, {__index = string})
print(str_index.upper("x"), ("abc").len == string.len, ("x").nonexistent)
local s = "text"
print(s:upper(), s:len(), #s, s.sub(s, 2, 3))
print(pcall(function() return s.x.y end))
print(pcall(function() return ("x"):nomethod() end))
local deep = {}
local cur = deep
for i = 1, 50 do
  local nxt = {}
  setmetatable(cur, {__index = nxt})
  cur = nxt
end
cur.bottom = "found"
print(deep.bottom)
local loop = {}
setmetatable(loop, {__index = loop})
print(pcall(function() return loop.x end))
local loopn = {}
setmetatable(loopn, {__newindex = loopn})
print(pcall(function() loopn.x = 1 end))
local numidx = setmetatable({}, {__index = function(_, k) return math.type(k) end})
print(numidx[1], numidx[1.0], numidx[1.5], numidx[2^53])
print(pcall(function() local t = setmetatable({}, {__index = 5}); return t.x end))
print(pcall(function() local t = setmetatable({}, {__newindex = true}); t.x = 1 end))
local mt_nil_index = setmetatable({}, {__index = nil})
print(mt_nil_index.x)
print(rawget(setmetatable({}, {__index = base}), "greet"))
local counter = setmetatable({}, {__index = function(t, k) local v = #k; rawset(t, k, v); return v end})
print(counter.abc, counter.abcdef, rawget(counter, "abc"))
