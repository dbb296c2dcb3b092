-- Resumes that fail in the resumer: results that do not fit in its stack, and resuming a
-- dead coroutine through `wrap` (a string error gets the caller's position).

local co = coroutine.create(function ()
  local t = {}
  for i = 1, 999990 do t[i] = i end
  return table.unpack(t)
end)
-- resume from a few levels down, so that the resumer's stack is in use
local function resume_at (depth)
  if depth > 0 then
    local ok, first = resume_at(depth - 1)
    return ok, first
  end
  local ok, first = coroutine.resume(co)
  return ok, first
end
print(resume_at(20))
print(coroutine.status(co))

local wrapped = coroutine.wrap(function () return 1 end)
print(wrapped())
print(pcall(function () return wrapped() end))
print(pcall(wrapped))
