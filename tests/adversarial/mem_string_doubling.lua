-- attack: doubling a string by concatenation until memory runs out.
-- expect: not enough memory
local s = "x"
local keep = {}
while true do s = s .. s; keep[#keep + 1] = s end
