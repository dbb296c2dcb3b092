-- attack: __gc set after setmetatable, __gc replaced by a non-function, weak values finalized.
-- expect: ok
local mt = {}
local t = setmetatable({}, mt)
mt.__gc = function() error("should not run") end
t = nil
local mt2 = { __gc = true }
setmetatable({}, mt2)
local weak = setmetatable({}, { __mode = "v" })
weak[1] = setmetatable({}, { __gc = function(o) weak[2] = o end })
collectgarbage()
collectgarbage()
