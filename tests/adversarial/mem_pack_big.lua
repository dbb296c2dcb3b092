-- attack: string.pack with a huge padding/size request.
-- expect: not enough memory | string too large
local s = string.rep("p", 1 << 25)
local packed = string.pack("s4s4s4s4", s, s, s, s)
