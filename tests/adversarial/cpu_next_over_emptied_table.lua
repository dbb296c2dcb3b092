-- attack: a table emptied by removals keeps its slots, so one `next` call can skip over a
-- million empty slots; a loop of such calls must pay for the slots, not one unit per call.
-- expect: fuel
-- fuel: 20000000
local t = {}
for i = 1, 1000000 do t[i + 0.5] = true end
for i = 1, 1000000 do t[i + 0.5] = nil end
while true do local k = next(t) end
