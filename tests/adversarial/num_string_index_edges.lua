-- attack: string functions with extreme indices.
-- expect: ok
local s = "hello"
local ext = { math.mininteger, -1, 0, 1, math.maxinteger, 2^53 }
for _, i in ipairs(ext) do
  for _, j in ipairs(ext) do
    pcall(string.sub, s, i, j); pcall(string.byte, s, i, j); pcall(string.find, s, "l", i)
    pcall(string.find, s, "", i, true); pcall(string.match, s, "()", i); pcall(string.gmatch, s, ".", i)
  end
end
assert(string.sub(s, math.mininteger, math.maxinteger) == s)
assert(not pcall(string.rep, s, math.maxinteger))
