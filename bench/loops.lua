-- Arithmetic loops over integers and floats.
local N = tonumber(arg and arg[1]) or 10000000
local isum = 0
for i = 1, N do
  isum = isum + (i * 7) % 13 - (i // 3) + (i & 0xff)
end
local fsum = 0.0
local x = 0.5
for i = 1, N do
  fsum = fsum + x * 1.000001 - i / 1e7
  x = x + 0.25
end
local count = 0
local j = 0
while j < N // 2 do
  j = j + 1
  if j % 3 == 0 then count = count + 1 end
end
print("checksum", isum, string.format("%.6e", fsum), count)
