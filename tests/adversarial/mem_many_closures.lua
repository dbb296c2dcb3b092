-- attack: allocating many live closures with upvalues.
-- expect: not enough memory
-- fuel: 200000000
local keep = {}
local n = 0
while true do
  local x = n
  keep[#keep + 1] = function() return x end
  n = n + 1
end
