-- attack: stop the collector, then allocate garbage: the memory limit must still hold.
-- expect: fuel exhausted | not enough memory
-- fuel: 20000000
collectgarbage("stop")
while true do local t = { string.rep("g", 1000) .. math.random() } end
