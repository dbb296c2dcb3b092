-- Mandelbrot set: float arithmetic in tight loops, bit packing of the result.
local N = tonumber(arg and arg[1]) or 800
local iterations = 50
local checksum = 0
for y = 0, N - 1 do
  local ci = 2.0 * y / N - 1.0
  local byte, bits = 0, 0
  for x = 0, N - 1 do
    local cr = 2.0 * x / N - 1.5
    local zr, zi, zr2, zi2 = 0.0, 0.0, 0.0, 0.0
    local inside = 1
    for _ = 1, iterations do
      zi = 2.0 * zr * zi + ci
      zr = zr2 - zi2 + cr
      zr2 = zr * zr
      zi2 = zi * zi
      if zr2 + zi2 > 4.0 then inside = 0; break end
    end
    byte = (byte << 1) | inside
    bits = bits + 1
    if bits == 8 then
      checksum = (checksum * 31 + byte) % 1000000007
      byte, bits = 0, 0
    end
  end
  if bits > 0 then checksum = (checksum * 31 + (byte << (8 - bits))) % 1000000007 end
end
print("checksum", checksum)
