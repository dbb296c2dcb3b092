-- attack: a very long chain of nested tables, then full collections (mark must not recurse).
-- expect: ok
-- fuel: 100000000
local t = {}
for i = 1, 300000 do t = { t } end
collectgarbage()
collectgarbage()
local n = 0
while t[1] do t = t[1]; n = n + 1 end
assert(n == 300000)
