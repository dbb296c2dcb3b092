-- Deep recursion, mutual recursion, many locals and upvalues, long argument lists.
local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
print(depth(10000), depth(100000))
local is_even, is_odd
function is_even(n) if n == 0 then return true end return is_odd(n - 1) end
function is_odd(n) if n == 0 then return false end return is_even(n - 1) end
print(is_even(1000), is_odd(7777))
local function ackermann(m, n)
  if m == 0 then return n + 1 end
  if n == 0 then return ackermann(m - 1, 1) end
  return ackermann(m - 1, ackermann(m, n - 1))
end
print(ackermann(2, 3), ackermann(3, 3))
local src = {"local a0 = 0"}
for k = 1, 199 do src[#src + 1] = ("local a%d = a%d + 1"):format(k, k - 1) end
src[#src + 1] = "return a199"
print(load(table.concat(src, "\n"))())
local too_many = {"local a0 = 0"}
for k = 1, 200 do too_many[#too_many + 1] = ("local a%d = %d"):format(k, k) end
print(load(table.concat(too_many, "\n")))
local ups = {}
for k = 1, 60 do ups[#ups + 1] = ("local u%d = %d"):format(k, k) end
local body = {}
for k = 1, 60 do body[#body + 1] = "u" .. k end
ups[#ups + 1] = "return function() return " .. table.concat(body, " + ") .. " end"
print(load(table.concat(ups, "\n"))()())
local params = {}
for k = 1, 100 do params[k] = "p" .. k end
local many_params = load("return function(" .. table.concat(params, ", ") .. ") return p1 + p100 end")()
print(many_params(table.unpack((function() local t = {} for k = 1, 100 do t[k] = k end return t end)())))
local function so() return so() + 1 end
local ok, err = pcall(so)
print(ok, (err:gsub("^.-:%d+: ", "")))
local function deep_pcall(n) if n == 0 then error("bottom") end return pcall(deep_pcall, n - 1) end
print(deep_pcall(50))
local co_depth = coroutine.wrap(function() return depth(5000) end)
print(co_depth())
local function count_args(...) return select("#", ...) end
local big = {}
for k = 1, 5000 do big[k] = k end
print(count_args(table.unpack(big)))
print(select(5000, table.unpack(big)))
print(string.char(table.unpack({72, 105, 33})))
