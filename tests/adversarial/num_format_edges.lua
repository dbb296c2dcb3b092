-- attack: string.format with invalid or extreme conversion specs.
-- expect: ok
local specs = { "%", "%100d", "%.100f", "%-#+ 0d", "%q", "%i", "%c", "%5c", "%.3s", "%b", "%10.10q", "%lld", "%*d", "%$d", "%%%" }
for _, f in ipairs(specs) do
  for _, v in ipairs { 0, -1, 1.5, math.mininteger, math.huge, -math.huge, "s", {} } do pcall(string.format, f, v) end
end
assert(string.format("%q", 0 / 0) == "(0/0)")
assert(string.format("%q", math.mininteger) == "0x8000000000000000")
assert(string.format("%5.2s|", "abc") == "   ab|")
