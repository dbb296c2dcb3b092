-- Allocation churn for the collector: builds binary trees of tables and drops them, ten
-- million table allocations in all, while a few recent trees stay alive. Memory must stay
-- bounded (compare.py reports peak RSS next to the time).
local function tree(depth)
  if depth == 0 then return {} end
  return { tree(depth - 1), tree(depth - 1) }
end

local function count(t)
  if t[1] == nil then return 1 end
  return 1 + count(t[1]) + count(t[2])
end

local allocations, total, recent = 0, 0, {}
while allocations < 10000000 do
  local t = tree(12)
  allocations = allocations + 8191
  total = total + count(t)
  recent[allocations // 8191 % 8 + 1] = t
end
print("checksum " .. total)
