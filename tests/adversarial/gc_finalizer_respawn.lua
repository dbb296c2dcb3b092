-- attack: every finalizer creates a new finalizable object (endless finalizer chain).
-- expect: fuel
local mt = {}
mt.__gc = function() setmetatable({}, mt) end
setmetatable({}, mt)
while true do collectgarbage() end
