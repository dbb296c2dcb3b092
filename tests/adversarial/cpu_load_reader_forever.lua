-- attack: load with a reader function that never returns the end of the chunk.
-- expect: fuel
local f = load(function() return "x = 1; " end)
