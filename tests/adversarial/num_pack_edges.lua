-- attack: string.pack/unpack with invalid sizes, alignments and truncated data.
-- expect: ok
local formats = { "i0", "i17", "!17", "!3i4", "Xi", "X", "c", "c-1", "c99999999999999999999", "s0", "s17",
  "j", "J", "T", "z", ">i16", "<I16", "=d", "n", "i" .. string.rep("9", 30), "xX!", "Xz", " " }
for _, f in ipairs(formats) do
  pcall(string.pack, f, 1)
  pcall(string.packsize, f)
  pcall(string.unpack, f, "\0\1\2\3")
  pcall(string.unpack, f, string.rep("\255", 40), -1)
  pcall(string.unpack, f, "", 1000)
end
assert(not pcall(string.unpack, "i16", string.rep("\255", 15) .. "\127"))
assert(string.unpack("i16", string.rep("\255", 16)) == -1)
