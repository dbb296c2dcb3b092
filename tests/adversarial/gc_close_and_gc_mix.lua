-- attack: to-be-closed variables whose close handlers allocate and collect.
-- expect: ok
for i = 1, 1000 do
  local x <close> = setmetatable({}, { __close = function() collectgarbage("step"); local t = { string.rep("c", 100) } end })
end
