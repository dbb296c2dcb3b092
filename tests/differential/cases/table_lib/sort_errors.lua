-- table.sort errors whose exact text depends on which pair the algorithm compares first
-- (PUC's quicksort); kept apart from sort.lua so an algorithm difference shows up here only.
local function show(t) local p = {} for i = 1, #t do p[i] = tostring(t[i]) end return table.concat(p, " ") end
print(pcall(table.sort, {1, "x"}))
print(pcall(table.sort, {"x", 1}))
print(pcall(table.sort, setmetatable({1, [3] = 3}, {__len = function() return 3 end})))
print(pcall(table.sort, {1, "x", 2}))
print(pcall(table.sort, setmetatable({1, 2, [4] = 4}, {__len = function() return 4 end})))
print(pcall(table.sort, {{}, {}}))
local always = {}
for i = 1, 20 do always[i] = i end
print(pcall(table.sort, always, function(a, b) return true end))
local always2 = {5, 4, 3, 2, 1, 6, 7, 8, 9, 10, 11, 12}
print(pcall(table.sort, always2, function(a, b) return true end))
