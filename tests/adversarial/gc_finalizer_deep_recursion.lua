-- attack: a finalizer that recurses until the stack overflows.
-- expect: ok
local function f() return 1 + f() end
setmetatable({}, { __gc = f })
collectgarbage()
collectgarbage()
