-- The utf8 library (manual §6.5): results and error messages as in lua5.4.

local function fails(expected, f, ...)
  local ok, message = pcall(f, ...)
  assert(not ok, "call should have failed")
  assert(message == expected, "unexpected message: " .. tostring(message))
end

local function pack(...) return {n = select("#", ...), ...} end

-- 't' lists the expected values; 't.n' counts them when some are nil
local function same(t, ...)
  local got = pack(...)
  local n = t.n or #t
  assert(got.n == n, "expected " .. n .. " values, got " .. got.n)
  for i = 1, n do
    assert(got[i] == t[i], "value " .. i .. ": " .. tostring(got[i]))
  end
end

-- utf8.char and utf8.charpattern
assert(utf8.char() == "")
assert(utf8.char(72, 0xE4, 0x20AC, 0x10FFFF) == "H\xC3\xA4\xE2\x82\xAC\xF4\x8F\xBF\xBF")
assert(utf8.char(0x7FFFFFFF) == "\xFD\xBF\xBF\xBF\xBF\xBF")
assert(utf8.char(0xD800) == "\xED\xA0\x80")   -- surrogates are encoded
assert(utf8.char("65", 66.0) == "AB")
fails("bad argument #2 to 'utf8.char' (value out of range)", utf8.char, 1, -1)
fails("bad argument #1 to 'utf8.char' (value out of range)", utf8.char, 0x80000000)
fails("bad argument #1 to 'utf8.char' (number expected, got nil)", utf8.char, nil)
fails("bad argument #3 to 'utf8.char' (number has no integer representation)",
      utf8.char, 1, 2, 1.5)
assert(utf8.charpattern == "[\0-\x7F\xC2-\xFD][\x80-\xBF]*")
local pieces = {}
for c in string.gmatch("a\xC3\xA4\xE2\x82\xAC", utf8.charpattern) do
  pieces[#pieces + 1] = c
end
assert(#pieces == 3 and pieces[3] == "\xE2\x82\xAC")

-- utf8.codes
local s = "h\xC3\xA9llo\xF0\x9F\x98\x80"
local positions, codes = {}, {}
for p, c in utf8.codes(s) do
  positions[#positions + 1] = p
  codes[#codes + 1] = c
end
assert(table.concat(positions, ",") == "1,2,4,5,6,7")
assert(table.concat(codes, ",") == "104,233,108,108,111,128512")
assert(utf8.codes("a") == utf8.codes("b"))           -- one iterator per mode
assert(utf8.codes("a", true) ~= utf8.codes("b"))
local iterator, subject, control = utf8.codes(12)
assert(subject == "12" and control == 0)
same({1, 49}, iterator(subject, control))
same({}, iterator("abc", 3))
same({}, iterator("abc", -1))
same({2, 98}, iterator("abc", 1.0))
local ok, message = pcall(function ()
  for _ in utf8.codes("ab\xFF") do end
end)
assert(not ok and string.find(message, "invalid UTF%-8 code$"))
ok, message = pcall(function ()
  for _ in utf8.codes("\xED\xA0\x80") do end       -- a surrogate: strict fails
end)
assert(not ok and string.find(message, "invalid UTF%-8 code$"))
for _, c in utf8.codes("\xED\xA0\x80", true) do assert(c == 0xD800) end
fails("bad argument #1 to 'utf8.codes' (string expected, got no value)", utf8.codes)

-- utf8.codepoint
same({104}, utf8.codepoint(s))
same({233, 108}, utf8.codepoint(s, 2, 4))
same({128512}, utf8.codepoint(s, -4))
same({}, utf8.codepoint(s, 3, 2))
same({0x7FFFFFFF}, utf8.codepoint("\xFD\xBF\xBF\xBF\xBF\xBF", 1, 1, true))
fails("bad argument #2 to 'utf8.codepoint' (out of bounds)", utf8.codepoint, "abc", 0)
fails("bad argument #3 to 'utf8.codepoint' (out of bounds)", utf8.codepoint, "abc", 1, 4)
fails("invalid UTF-8 code", utf8.codepoint, "\xFD\xBF\xBF\xBF\xBF\xBF")
fails("invalid UTF-8 code", utf8.codepoint, s, 3)   -- starts at a continuation byte
assert(select("#", utf8.codepoint(string.rep("a", 1000), 1, -1)) == 1000)

-- utf8.len
assert(utf8.len("") == 0)
assert(utf8.len(s) == 6)
same({n = 2, nil, 3}, utf8.len(s, 3))   -- a continuation byte cannot start a character
assert(utf8.len(s, -4) == 1)
assert(utf8.len(s, 1, 0) == 0)
same({n = 2, nil, 3}, utf8.len("ab\xFFc"))
same({n = 2, nil, 1}, utf8.len("\xED\xA0\x80"))
assert(utf8.len("\xED\xA0\x80", 1, -1, true) == 1)
fails("bad argument #2 to 'utf8.len' (initial position out of bounds)", utf8.len, "abc", 5)
fails("bad argument #3 to 'utf8.len' (final position out of bounds)", utf8.len, "abc", 1, 4)

-- utf8.offset
assert(utf8.offset(s, 1) == 1)
assert(utf8.offset(s, 3) == 4)
assert(utf8.offset(s, -1) == 7)
assert(utf8.offset(s, 0, 3) == 2)
assert(utf8.offset(s, 7) == 11)    -- just past the end
assert(utf8.offset(s, 8) == nil)
assert(utf8.offset("alo", -4) == nil)
fails("bad argument #3 to 'utf8.offset' (position out of bounds)", utf8.offset, "abc", 1, 5)
fails("initial position is a continuation byte", utf8.offset, s, 1, 3)
fails("bad argument #2 to 'utf8.offset' (number expected, got no value)", utf8.offset, "abc")

-- errors raised by library code carry the caller's position
ok, message = pcall(function () return utf8.codepoint("\xFF") end)
assert(not ok and string.find(message, "^.-:%d+: invalid UTF%-8 code$"))

print("OK")
