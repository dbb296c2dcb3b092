-- attack: utf8 functions with invalid sequences, overlongs, surrogates and huge positions.
-- expect: ok
local bad = { "\xC0\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFF", "\x80", "\xFE\x83\xBF\xBF\xBF\xBF\xBF" }
for _, s in ipairs(bad) do
  pcall(utf8.len, s); pcall(utf8.len, s, 1, -1, true); pcall(utf8.codepoint, s, 1, -1, true)
  pcall(utf8.offset, s, 2); pcall(function() for p, c in utf8.codes(s, true) do end end)
end
pcall(utf8.char, -1); pcall(utf8.char, 0x80000000)
pcall(utf8.offset, "abc", math.maxinteger); pcall(utf8.offset, "abc", math.mininteger)
pcall(utf8.offset, "abc", 1, math.maxinteger); pcall(utf8.len, "abc", math.mininteger)
pcall(utf8.codepoint, "abc", math.mininteger, math.maxinteger)
assert(utf8.char(0x7FFFFFFF) == "\xFD\xBF\xBF\xBF\xBF\xBF")
