-- Numerals: integers, floats, hexadecimal forms, overflow and malformed numbers.
-- Prints nothing on success.

local function check (value, expected, kind)
  assert(value == expected, tostring(value))
  assert(math.type(value) == kind, tostring(value))
end

check(0, 0, "integer")
check(007, 7, "integer")
check(123456789012, 123456789012, "integer")
check(9223372036854775807, math.maxinteger, "integer")
check(9223372036854775808, 2^63, "float")           -- decimal overflow becomes a float
check(-9223372036854775808, -2^63, "float")         -- the minus is an operator
check(18446744073709551616, 2^64, "float")
check(1e2, 100.0, "float")
check(1E2, 100.0, "float")
check(1e+2, 100.0, "float")
check(1e-2, 0.01, "float")
check(.5, 0.5, "float")
check(5., 5.0, "float")
check(3.25e1, 32.5, "float")
check(0.1e-0, 0.1, "float")
check(1e400, math.huge, "float")
check(1e-400, 0.0, "float")

-- hexadecimal integers wrap around modulo 2^64
check(0xff, 255, "integer")
check(0XA, 10, "integer")
check(0x7fffffffffffffff, math.maxinteger, "integer")
check(0xffffffffffffffff, -1, "integer")
check(0x8000000000000000, math.mininteger, "integer")
check(0x10000000000000000, 0, "integer")
check(0x1000000000000000F, 15, "integer")
check(0xaBcD, 43981, "integer")

-- hexadecimal floats
check(0x1p4, 16.0, "float")
check(0xA.8, 10.5, "float")
check(0x.8p1, 1.0, "float")
check(0x1P-2, 0.25, "float")
check(0x.1, 0.0625, "float")
check(0xA., 10.0, "float")
check(0x1p-1074, 4.9406564584124654e-324, "float")
check(0x1.fffffffffffffp1023, 1.7976931348623157e308, "float")
check(0x1p1024, math.huge, "float")
check(0x20000000000001p0, 9007199254740992.0, "float")       -- ties round to even
check(0x20000000000003p0, 9007199254740996.0, "float")

-- numbers next to other tokens
local t = {1,2,3}
assert(t[1]+t[2]==3 and 1 ..2 == "12" and 2^2 == 4.0)
assert(3-2 == 1 and 3 - -2 == 5 and 10//3 == 3)
local a = 2
assert(a-1 == 1)

-- conversions of numeric strings follow the same rules
assert(tonumber("0x10") == 16 and tonumber("1e1") == 10.0 and tonumber("0x1p4") == 16.0)
assert(math.type(tonumber("9223372036854775808")) == "float")
assert(tonumber("0xffffffffffffffff") == -1)
assert(tonumber("3x") == nil and tonumber("0x") == nil and tonumber("1e") == nil)
assert(tonumber("inf") == nil and tonumber("nan") == nil)

-- malformed numbers are lexical errors
local function error_of (source)
  local f, message = load(source, "=src")
  assert(f == nil)
  return message
end
assert(error_of("x = 3x") == "src:1: malformed number near '3x'")
assert(error_of("x = 0x") == "src:1: malformed number near '0x'")
assert(error_of("x = 1e") == "src:1: malformed number near '1e'")
assert(error_of("x = 1e+") == "src:1: malformed number near '1e+'")
assert(error_of("x = 3..2") == "src:1: malformed number near '3..2'")
assert(error_of("x = 0x1p") == "src:1: malformed number near '0x1p'")
assert(error_of("x = .5e") == "src:1: malformed number near '.5e'")
assert(error_of("x = 0xg") == "src:1: malformed number near '0xg'")
assert(error_of("x = 12abc") == "src:1: malformed number near '12abc'")
assert(error_of("x = 1ee") == "src:1: malformed number near '1ee'")
assert(error_of("x = 0x.p1") == "src:1: malformed number near '0x.p1'")
assert(error_of("x = 1.2.3") == "src:1: malformed number near '1.2.3'")
assert(error_of("x = 0xep+") == "src:1: malformed number near '0xep+'")
assert(error_of("f(1_000)") == "src:1: malformed number near '1_'")
assert(error_of("x = 1 .. 2 ..") == "src:1: unexpected symbol near <eof>")
assert(error_of("function a.1() end") == "src:1: '(' expected near '.1'")
assert(load("return 0x1.p4")() == 16.0)
assert(load("return 08")() == 8)
assert(load("return 1..2") == nil)              -- malformed '1..2'
assert(load("return 1 ..2")() == "12")
