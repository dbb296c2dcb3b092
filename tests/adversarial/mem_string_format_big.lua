-- attack: string.format building a result far larger than the limit.
-- expect: not enough memory | string too large
local piece = string.rep("z", 1 << 24)
local s = string.format("%s%s%s%s%s%s%s%s", piece, piece, piece, piece, piece, piece, piece, piece)
