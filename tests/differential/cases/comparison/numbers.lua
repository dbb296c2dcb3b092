-- Comparing integers with floats is exact, even where floats cannot represent the integer.
local max, min = math.maxinteger, math.mininteger
print(1 == 1.0, 1 < 1.5, 2 > 1.5, -0.0 == 0.0, 0 == -0.0, 1 <= 1.0, 1 >= 1.0)
print((1 << 53) == 2.0^53, (1 << 53) + 1 == 2.0^53, (1 << 53) + 1 > 2.0^53, (1 << 53) + 1 < 2.0^53 + 2)
print(2.0^53 + 1 == 2.0^53, (1 << 53) + 1 == (1 << 53) + 1.0)
print(max == 2^63, max < 2^63, max + 0.0 == 2^63, max <= 2^63, max > 2^63 - 1024)
print(min == -2^63, min < -2^63, min <= -2^63, min > -2^63 - 1, min - 1 > -2^63)
print(max < math.huge, min > -math.huge, max > -math.huge, 1 < math.huge, -1 > -math.huge)
print(max == max + 0.0, max - 1 < max + 0.0, max - 512 < 2^63 - 1024, max - 513 < 2^63 - 1024)
print(2^63 > max, 2^63 >= max, -2^63 >= min, -2^63 <= min, -2^64 < min)
print(1 < 2, 2 < 1, 1 <= 1, 2 >= 3, 1 ~= 1, 1 ~= 2, 1 == 2)
print(1.5 < 2, 2 < 1.5, 2.5 <= 2, -1 < -0.5, 3 == 3.0000000000000001)
print(0.1 + 0.2 > 0.3, 0.1 + 0.2 == 0.30000000000000004)
print(math.ult(1, 2), math.ult(-1, 2), math.ult(2, -1), math.ult(min, max), math.ult(max, min))
print(max // 1 == max, 2^53 == 2^53 + 1.0, 9007199254740993 == 2^53)
print(9007199254740993 < 9007199254740994.0, 9007199254740993 > 9007199254740992.0)
local values = {1, 1.0, -0.0, 0, 2^53, (1 << 53) + 1, max, min, 2^63, -2^63, math.huge, -math.huge, 0.5}
local lines = {}
for i = 1, #values do
  local row = {}
  for j = 1, #values do
    local a, b = values[i], values[j]
    row[#row + 1] = (a < b and "<" or "") .. (a == b and "=" or "") .. (a > b and ">" or "")
  end
  lines[#lines + 1] = table.concat(row, " ")
end
print(table.concat(lines, "\n"))
