-- attack: tostring/concat of numbers in a tight loop with a growing buffer.
-- expect: fuel
local parts = {}
for i = 1, 1e9 do parts[(i % 1000) + 1] = tostring(i / 7) .. tostring(i) end
