-- attack: odd numerals in tonumber / string arithmetic coercion.
-- expect: ok
local cases = { "", " ", "0x", "0x.", "1e", "1e+", ".", "..", "0x1p", "0x1p-99999999999", "1e99999999999",
  "nan", "inf", "-0x8000000000000000", "0x7fffffffffffffff1", "   10   ", "10\0", string.rep("9", 10000) }
for _, s in ipairs(cases) do
  pcall(tonumber, s)
  for base = 2, 36 do pcall(tonumber, s, base) end
  pcall(function() return s + 1 end)
  pcall(function() return s // 1 end)
end
assert(not pcall(tonumber, "10", 1))
assert(not pcall(tonumber, "10", 37))
assert(tonumber("zz", 36) == 1295)
