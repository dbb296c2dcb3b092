-- String literals: escapes, long brackets, line endings, comments and lexical errors.
-- Prints nothing on success.

-- simple escapes
assert("\a\b\f\n\r\t\v\\\"\'" == string.char(7, 8, 12, 10, 13, 9, 11, 92, 34, 39))
assert('\'' == "'" and "\"" == '"')
assert("\65\066\0677" == "ABC7")        -- up to three decimal digits
assert("\0" == string.char(0) and #"a\0b" == 3)
assert("\255" == string.char(255))
assert("\x41\x62\x7A\xff\xFF" == "Abz\255\255")
assert("\z
        abc" == "abc")
assert("a\z  b" == "ab")
assert("a\z

   b" == "ab")
assert("line1\
line2" == "line1\nline2")              -- backslash-newline is a newline

-- UTF-8 escapes, up to 2^31 - 1 on six bytes
assert("\u{41}" == "A")
assert("\u{e9}" == "\xC3\xA9")
assert("\u{20AC}" == "\xE2\x82\xAC")
assert("\u{1F600}" == "\xF0\x9F\x98\x80")
assert("\u{10FFFF}" == "\xF4\x8F\xBF\xBF")
assert("\u{200000}" == "\xF8\x88\x80\x80\x80")
assert("\u{7FFFFFFF}" == "\xFD\xBF\xBF\xBF\xBF\xBF")
assert("\u{0000000041}" == "A")         -- leading zeros are fine

-- long strings
assert([[abc]] == "abc")
assert([==[a]]b]=]c]==] == "a]]b]=]c")
assert([[
first newline skipped]] == "first newline skipped")
assert([[

one newline kept]] == "\none newline kept")
assert([=[[[nested]]]=] == "[[nested]]")
assert(#[[]] == 0)

-- line endings inside long strings become '\n' (\r\n and \n\r count as one)
assert(load("return [[a\r\nb]]")() == "a\nb")
assert(load("return [[a\n\rb]]")() == "a\nb")
assert(load("return [[a\rb]]")() == "a\nb")
assert(load("return [[a\r\n\r\nb]]")() == "a\n\nb")
assert(load("return [[\r\nskipped]]")() == "skipped")
assert(load("return 'a\\\r\nb'")() == "a\nb")

-- line counting: each of \n, \r, \r\n, \n\r is one line
local function error_line (source)
  local _, message = load(source, "=src")
  return tonumber(message:match("^src:(%d+):"))
end
assert(error_line("x = 1\n\n$") == 3)
assert(error_line("x = 1\r\n\r\n$") == 3)
assert(error_line("x = 1\n\r\n\r$") == 3)
assert(error_line("x = 1\r\r$") == 3)
assert(error_line("x = [[\n\n]] $") == 3)
assert(error_line("--[[\n\n]] $") == 3)
assert(error_line("x = 'a\\\n\\\nb' $") == 3)

-- comments
local value = 1 -- a short comment
--[[ a long
comment ]] value = value + 1
--[==[ another ]] still comment ]==] value = value + 1
---[[ not a long comment
value = value + 1
--]]
assert(value == 4)

-- the first line is not special for load (only files skip '#' lines)
assert(load("#!shebang\nreturn 1") == nil)

-- lexical errors, with the text PUC quotes
local function error_of (source)
  local f, message = load(source, "=src")
  assert(f == nil)
  return message
end
assert(error_of("x = 'abc") == "src:1: unfinished string near <eof>")
assert(error_of("x = 'abc\ndef'") == "src:1: unfinished string near ''abc'")
assert(error_of("x = '\\q'") == "src:1: invalid escape sequence near ''\\q'")
assert(error_of("x = '\\300'") == "src:1: decimal escape too large near ''\\300''")
assert(error_of("x = '\\9999'") == "src:1: decimal escape too large near ''\\9999'")
assert(error_of("x = '\\xZZ'") == "src:1: hexadecimal digit expected near ''\\xZ'")
assert(error_of("x = '\\x5'") == "src:1: hexadecimal digit expected near ''\\x5''")
assert(error_of("x = '\\u123'") == "src:1: missing '{' near ''\\u1'")
assert(error_of("x = '\\u{123'") == "src:1: missing '}' near ''\\u{123''")
assert(error_of("x = '\\u{}'") == "src:1: hexadecimal digit expected near ''\\u{}'")
assert(error_of("x = '\\u{110000000}'") == "src:1: UTF-8 value too large near ''\\u{110000000'")
assert(error_of("x = '\\u{80000000}'") == "src:1: UTF-8 value too large near ''\\u{80000000'")
assert(error_of("x = [==[ abc") == "src:1: unfinished long string (starting at line 1) near <eof>")
assert(error_of("x = 1\n--[==[ abc\n\n") == "src:4: unfinished long comment (starting at line 2) near <eof>")
assert(error_of("x = [==") == "src:1: invalid long string delimiter near '[=='")
assert(error_of("x = [=a") == "src:1: invalid long string delimiter near '[='")
assert(error_of("x = '\\z  \n\n  \\q'") == "src:3: invalid escape sequence near ''\\q'")
assert(error_of("x = 'a\0b' 'c' y") == "src:1: unexpected symbol near ''c''")
assert(error_of("x = 1 'a\0b'") == "src:1: unexpected symbol near ''a'")   -- cut at '\0'
assert(error_of("x = \"abc\\\0") == "src:1: invalid escape sequence near '\"abc\\'")
assert(error_of("x = 1 + \1") == "src:1: unexpected symbol near '<\\1>'")
assert(error_of("x = 1 + \200") == "src:1: unexpected symbol near '<\\200>'")
assert(error_of("x = 1 + \0") == "src:1: unexpected symbol")
assert(error_of("x = @") == "src:1: unexpected symbol near '@'")
assert(error_of("x = [[a]] + ") == "src:1: unexpected symbol near <eof>")
assert(error_of("f 'a' 'b' +") == "src:1: unexpected symbol near '+'")
assert(error_of("x = 'a' y") == "src:1: syntax error near <eof>")
assert(error_of("x = 'a'\ny") == "src:2: syntax error near <eof>")
assert(error_of("local s = [[\nabc]] +") == "src:2: unexpected symbol near <eof>")
assert(error_of("f([==[x]==] 1)") == "src:1: ')' expected near '1'")
assert(error_of("f(1 [==[x\ny]==])")
       == "src:2: ')' expected (to close '(' at line 1) near '[==[x\ny]==]'")
