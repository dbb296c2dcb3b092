-- attack: many distinct medium strings kept alive.
-- expect: not enough memory
-- fuel: 200000000
local keep = {}
local i = 0
while true do i = i + 1; keep[i] = string.rep("y", 1000) .. i end
