-- String work: concatenation, table.concat, string.format, gsub, find, byte/char.
local N = tonumber(arg and arg[1]) or 200000
local s = ""
for i = 1, N // 10 do s = s .. (i % 10) end
local parts = {}
for i = 1, N do parts[#parts + 1] = tostring(i) end
local joined = table.concat(parts, ",")
local formatted = {}
for i = 1, N do formatted[i] = string.format("%05d:%6.2f:%s", i, i / 7, "x") end
local fjoined = table.concat(formatted)
local replaced, count = joined:gsub("%d+", function(d) return #d end)
local upper = 0
for i = 1, N // 10 do upper = upper + #(("item" .. i):upper():rep(3)) end
local bytes = 0
for i = 1, #fjoined, 7 do bytes = bytes + fjoined:byte(i) end
local finds = 0
local pos = 1
while true do
  local a, b = fjoined:find(":", pos, true)
  if not a then break end
  finds = finds + 1
  pos = b + 1
end
local words = 0
for w in ("the quick brown fox jumps over the lazy dog "):rep(N // 100):gmatch("%a+") do words = words + #w end
print("checksum", #s, #joined, #fjoined, #replaced, count, upper, bytes, finds, words)
