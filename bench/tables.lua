-- Table work: array fill and read, hash insert and lookup with string keys, deletion.
local N = tonumber(arg and arg[1]) or 1000000
local arr = {}
for i = 1, N do arr[i] = i * 2 end
local sum = 0
for i = 1, #arr do sum = sum + arr[i] end
for _, v in ipairs(arr) do sum = sum + v end
local keys = {}
local K = N // 5
for i = 1, K do keys[i] = "key" .. i end
local hash = {}
for i = 1, K do hash[keys[i]] = i end
local found = 0
for round = 1, 3 do
  for i = 1, K do
    local v = hash[keys[i]]
    if v then found = found + v end
  end
end
for i = 1, K, 2 do hash[keys[i]] = nil end
local remaining = 0
for _, v in pairs(hash) do remaining = remaining + v end
local small = 0
for i = 1, N // 10 do
  local t = {x = i, y = i + 1, i, i * 2}
  small = small + t.x + t.y + t[1] + t[2]
end
print("checksum", sum, found, remaining, small)
