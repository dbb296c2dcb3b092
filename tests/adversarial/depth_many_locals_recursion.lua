-- attack: recursion of a function with a large frame (200 registers per call).
-- expect: stack overflow
local src = "local f; f = function() local " .. string.rep("a,", 190) .. "b = 1; return 1 + f() end; return f()"
load(src)()
