-- Coroutine ping-pong: resume/yield with values, and generators via coroutine.wrap.
local N = tonumber(arg and arg[1]) or 3000000
local co = coroutine.create(function(a)
  local total = 0
  while true do
    total = total + a
    a = coroutine.yield(total)
  end
end)
local last
for i = 1, N do
  local _, v = coroutine.resume(co, i)
  last = v
end
local function range(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end)
end
local s = 0
for v in range(N) do s = s + v end
local made = 0
for i = 1, N // 50 do
  local c = coroutine.wrap(function(x) local y = coroutine.yield(x + 1); return y * 2 end)
  made = made + c(i) + c(i)
end
print("checksum", last, s, made)
