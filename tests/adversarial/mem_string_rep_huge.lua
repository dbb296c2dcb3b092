-- attack: one huge string.rep request must be refused before allocating.
-- expect: not enough memory | string too large
local s = string.rep("x", 1 << 40)
