-- attack: utf8 walks (len, codepoint, offset) over a long string, repeatedly.
-- expect: fuel
local s = string.rep("\u{10FFFF}", 2000000)
for i = 1, 1000 do
  local n = utf8.len(s)
  local o = utf8.offset(s, -1000000)
end
