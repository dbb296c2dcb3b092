-- attack: string.rep with a separator whose total size overflows.
-- expect: resulting string too large
local s = string.rep("xx", math.maxinteger // 2, "yy")
