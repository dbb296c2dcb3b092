-- attack: churning a weak table with ephemeron chains across collections.
-- expect: ok
-- fuel: 100000000
local weak = setmetatable({}, { __mode = "k" })
local prev = {}
for i = 1, 200000 do local k = {}; weak[k] = prev; prev = k end
collectgarbage()
collectgarbage()
