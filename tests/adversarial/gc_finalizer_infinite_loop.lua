-- attack: a finalizer that never returns.
-- expect: fuel
setmetatable({}, { __gc = function() while true do end end })
collectgarbage()
collectgarbage()
