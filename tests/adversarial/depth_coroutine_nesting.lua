-- attack: resume inside resume without bound.
-- expect: stack overflow
local function nest()
  local co = coroutine.create(nest)
  local ok, err = coroutine.resume(co)
  if not ok then error(err, 0) end
end
nest()
