-- attack: coroutine.wrap calling into a new wrapped coroutine without bound.
-- expect: stack overflow
local function nest() return coroutine.wrap(nest)() end
nest()
