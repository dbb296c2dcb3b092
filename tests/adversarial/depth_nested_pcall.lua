-- attack: pcall nested inside pcall without bound.
-- expect: stack overflow
local function nest() local ok, err = pcall(nest); if not ok then error(err, 0) end end
nest()
