-- attack: a long __call chain (callable tables calling callable tables).
-- expect: ok
local f = function() return "done" end
for i = 1, 10000 do f = setmetatable({}, { __call = f }) end
print(pcall(f))
