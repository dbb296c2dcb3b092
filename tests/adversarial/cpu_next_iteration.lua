-- attack: endless iteration that modifies the table it walks (next on a growing table).
-- expect: fuel
local t = {}
for i = 1, 1000 do t[i] = i end
while true do
  for k, v in pairs(t) do t[k] = v + 1 end
end
