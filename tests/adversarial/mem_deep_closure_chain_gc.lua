-- attack: a long chain of closures referencing each other through upvalues, then a full collection.
-- expect: ok
-- fuel: 100000000
local f = function() return 0 end
for i = 1, 200000 do local g = f; f = function() return g end end
collectgarbage()
