-- attack: loading a forged binary chunk; sandboxed load must accept text only.
-- expect: ok
local forged = "\27Lua\x54\0\x19\x93\r\n\x1a\n\4\8\8" .. string.rep("\0", 64)
for _, mode in ipairs { "b", "bt", nil } do
  local f, err = load(forged, "x", mode)
  assert(f == nil, "binary chunk accepted")
end
local f = load(forged)
assert(f == nil)
