-- Statements and expressions: precedence, control flow, method definitions, multiple results.
print(1 + 2 * 3, (1 + 2) * 3, 2 ^ 2 ^ 3, -2 ^ 2, not 1 == 2, not (1 == 2))
print(1 .. 2 .. 3, "a" .. "b" == "ab", 1 < 2 == true, 2 * 3 % 4, 2 + 3 .. "", 7 // 2 * 2)
print(1 or error("never"), nil and error("never"), false or nil, nil or false, 1 and nil)
print(#"abc" + 1, -#"ab", - - 2, not not 0, ~5 & 0xF, 1 << 2 | 1, 5 & 3 ~ 1)
print("abc" < "abd" and 1 or 2, 1 == 1.0 and "eq" or "ne", #{1, 2} * 2)
local x = 5
if x > 3 then print("big") elseif x > 1 then print("medium") else print("small") end
if x > 10 then print("x") elseif x == 5 then print("five") end
if nil then print("nil is true?") else print("nil is false") end
if 0 then print("0 is true") end
if "" then print("empty string is true") end
local i = 0
while i < 3 do i = i + 1 end
print("while", i)
repeat i = i - 1 until i <= 0
print("repeat", i)
repeat local done = true until done
local n = 0
for _ = 1, 10 do n = n + 1; if n == 5 then break end end
print("break", n)
local obj = {name = "obj"}
function obj.static(a) return "static " .. tostring(a) end
function obj:method(a) return self.name .. " method " .. tostring(a) end
print(obj.static(1), obj:method(2), obj.method(obj, 3))
local ns = {inner = {deep = {}}}
function ns.inner.deep.f() return "deep function" end
function ns.inner.deep:g() return self == ns.inner.deep end
print(ns.inner.deep.f(), ns.inner.deep:g())
local function multi() return 1, 2, 3 end
local t = {multi(), multi()}
print(#t, (multi()), select("#", multi(), multi()), select("#", (multi())))
print(multi(), "end")
print("start", multi())
local a, b, c, d = multi()
print(a, b, c, d)
local s = "str"
print(s:upper(), ("lit"):upper(), #s:rep(3))
local f = function(...) return select("#", ...) end
print(f(nil), f(nil, nil), f(multi()), f(multi(), nil), f((multi())))
do local shadow = 1; do local shadow = 2; print("inner", shadow) end; print("outer", shadow) end
local long_if = 7
if long_if == 1 then print(1) elseif long_if == 2 then print(2) elseif long_if == 3 then print(3)
elseif long_if == 4 then print(4) elseif long_if == 5 then print(5) elseif long_if == 6 then print(6)
elseif long_if == 7 then print("seven") else print("other") end
print(0xff, 1e2, 0x1p-2, 3 // 1, 3.0 // 1, 1 // 1e308, 100000000000000, 0x7FFFFFFF)
print(--[[ inline comment ]] "after comment") -- trailing comment
--[==[ long
comment ]==]
print(type(nil) == "nil", type(type) == "function");
;;; print("semicolons are empty statements")
local function recursive_local(k) if k == 0 then return "done" end return recursive_local(k - 1) end
print(recursive_local(10))
local tbl = {f = function(self, v) return v * 2 end}
print(tbl:f(21), tbl.f(tbl, 4))
print(("x"):rep(3):upper():len())
local str_call = string.format
print(str_call "100%%" , type {} , #{n = 1})
local chained = {a = {b = {c = function() return {d = "chained"} end}}}
print(chained.a.b.c().d, chained["a"]["b"]["c"]()["d"])
print(2^53 == 2^53 + 1, math.maxinteger + 1 == math.mininteger, 1e308 * 10 == math.huge)
local v1, v2 = 1
print(v1, v2)
local w1 = 1, 2, print("evaluated extra expression")
print(w1)
goto finish
print("skipped by goto")
::finish::
print("finished")
