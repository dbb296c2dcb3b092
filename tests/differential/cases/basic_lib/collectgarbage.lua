-- collectgarbage options whose results are deterministic, weak tables and finalizers after a full collection.
print(collectgarbage(), collectgarbage("collect"), collectgarbage("step") ~= nil, collectgarbage("isrunning"))
print(type(collectgarbage("count")), math.type(collectgarbage("count")))
print(collectgarbage("stop"), collectgarbage("isrunning"), collectgarbage("restart"), collectgarbage("isrunning"))
print(collectgarbage("incremental"), collectgarbage("generational"), collectgarbage("incremental"))
print(pcall(collectgarbage, "bogus"))
print(pcall(collectgarbage, 1))
local weak_k = setmetatable({}, {__mode = "k"})
local weak_v = setmetatable({}, {__mode = "v"})
local strong = {}
weak_k[{}] = "collectable key"
weak_k[strong] = "kept key"
weak_v[1] = {}
weak_v[2] = strong
weak_v[3] = "strings are values, not collected"
collectgarbage()
collectgarbage()
local n = 0
for k, v in pairs(weak_k) do n = n + 1 end
print(n, weak_k[strong], weak_v[1], weak_v[2] == strong, weak_v[3])
local finalized = {}
do
  local obj = setmetatable({}, {__gc = function() finalized[#finalized + 1] = "gc ran" end})
end
collectgarbage()
collectgarbage()
print(#finalized, finalized[1])
local order = {}
for i = 1, 3 do setmetatable({}, {__gc = function() order[#order + 1] = i end}) end
collectgarbage()
collectgarbage()
table.sort(order)
print(table.concat(order, ","))
local resurrect
do
  setmetatable({name = "res"}, {__gc = function(o) resurrect = o end})
end
collectgarbage()
print(resurrect and resurrect.name)
print(pcall(setmetatable({}, {__gc = function() error("error in __gc") end}) and collectgarbage))
