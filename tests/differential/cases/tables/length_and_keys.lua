-- The # operator on sequences, key normalisation (1.0 is 1), invalid keys.
local function keys_sorted(t)
  local ks = {}
  for k in pairs(t) do ks[#ks + 1] = tostring(k) .. ":" .. (math.type(k) or type(k)) end
  table.sort(ks)
  return table.concat(ks, " ")
end
print(#{}, #{1}, #{1, 2, 3}, #{nil}, #{n = 1}, #"abc", #{1, 2, 3, nil}, #{[1] = "a", [2] = "b"})
local t = {}
for i = 1, 100 do t[i] = i end
print(#t)
for i = 100, 51, -1 do t[i] = nil end
print(#t)
t[#t + 1] = "x"
print(#t, t[51])
local s = {}
s[1.0] = "float one"
print(s[1], s[1.0], math.type(next(s)), #s)
s[2^53] = "big"
print(s[2^53], s[(1 << 53)], keys_sorted(s))
s[-0.0] = "zero"
print(s[0], s[-0.0], s[0.0])
s[1.5] = "one and a half"
print(s[1.5], s[3 / 2], keys_sorted(s))
print(pcall(function() local u = {}; u[nil] = 1 end))
print(pcall(function() local u = {}; u[0 / 0] = 1 end))
print(pcall(rawset, {}, nil, 1))
print(({})[nil], ({})[0 / 0], rawget({}, nil))
print(pcall(function() return {[nil] = 1} end))
print(pcall(function() return {[0/0] = 1} end))
local m = {"a", "b", "c", x = 1, [10] = "ten", [-1] = "neg", [0] = "zero"}
print(m[3], m[10], m[-1], m[0], m.x, m["x"])
local long = {}
for i = 1, 1000 do long[#long + 1] = i * 2 end
print(#long, long[1000], long[500])
local strkeys = {["1"] = "string one", [1] = "integer one"}
print(strkeys["1"], strkeys[1], keys_sorted(strkeys))
local tk = {}
local key1, key2 = {}, {}
tk[key1] = 1; tk[key2] = 2
print(tk[key1], tk[key2], tk[{}])
tk[true] = "t"; tk[false] = "f"
print(tk[true], tk[false])
local grow = {}
for i = 1, 20 do grow[i] = i end
for i = 1, 20 do grow[i] = nil end
print(#grow, next(grow))
print(#{n = 3, 1, 2, 3}, select("#", table.unpack({1, 2, 3})))
local function f() return 1, 2, 3 end
print(#{f()}, #{f(), f()}, #{(f())}, #{f(), nil})
