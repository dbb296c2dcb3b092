-- table.sort on integers, floats and strings, with and without a comparator.
local N = tonumber(arg and arg[1]) or 100000
local seed = 12345
local function rand()
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed
end
local ints, floats, strs, recs = {}, {}, {}, {}
for i = 1, N do
  ints[i] = rand()
  floats[i] = rand() / 2147483648
  strs[i] = tostring(rand())
  recs[i] = {key = rand(), id = i}
end
table.sort(ints)
table.sort(floats, function(a, b) return a > b end)
table.sort(strs)
table.sort(recs, function(a, b) if a.key ~= b.key then return a.key < b.key end return a.id < b.id end)
local check = 0
for i = 1, N, 97 do
  check = (check + ints[i] + math.floor(floats[i] * 1000) + #strs[i] + recs[i].id) % 1000000007
end
print("checksum", check, ints[1], ints[N], strs[1], strs[N])
