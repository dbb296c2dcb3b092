-- Loops: numeric for (integer and float, overflow edges), generic for, while, repeat.
-- Prints nothing on success.

local function collect (first, last, step)
  local values = {}
  if step then
    for i = first, last, step do values[#values + 1] = i end
  else
    for i = first, last do values[#values + 1] = i end
  end
  return values
end

local function same (values, expected)
  if #values ~= #expected then return false end
  for i = 1, #expected do
    if values[i] ~= expected[i] or math.type(values[i]) ~= math.type(expected[i]) then
      return false
    end
  end
  return true
end

-- integer loops
assert(same(collect(1, 3), {1, 2, 3}))
assert(same(collect(3, 1), {}))
assert(same(collect(3, 1, -1), {3, 2, 1}))
assert(same(collect(1, 10, 4), {1, 5, 9}))
assert(same(collect(10, 1, -4), {10, 6, 2}))
assert(same(collect(1, 1), {1}))

-- overflow edges: the loop stops exactly at the limit without wrapping around
local maxi, mini = math.maxinteger, math.mininteger
assert(same(collect(maxi - 2, maxi), {maxi - 2, maxi - 1, maxi}))
assert(same(collect(mini + 2, mini, -1), {mini + 2, mini + 1, mini}))
assert(same(collect(maxi - 1, maxi, 10), {maxi - 1}))
assert(same(collect(mini, mini + 5, maxi), {mini}))
assert(same(collect(maxi, mini, mini), {maxi, maxi + mini}))
assert(same(collect(0, maxi, maxi), {0, maxi}))
assert(#collect(mini, maxi, maxi) == 3)
assert(same(collect(1, 0, maxi), {}))

-- float limits with integer start and step: clipped to integers
assert(same(collect(1, 3.5), {1, 2, 3}))
assert(same(collect(1, 3.0), {1, 2, 3}))
assert(same(collect(3, 0.5, -1), {3, 2, 1}))
local n = 0
for i = 1, math.huge do n = n + 1; if n == 5 then break end end
assert(n == 5)
n = 0
for i = 1, -math.huge do n = n + 1 end
assert(n == 0)
assert(same(collect(maxi - 1, 1e100), {maxi - 1, maxi}))
assert(same(collect(mini + 1, -1e100, -1), {mini + 1, mini}))

-- float loops
assert(same(collect(1.0, 3), {1.0, 2.0, 3.0}))
assert(same(collect(1, 2, 0.5), {1.0, 1.5, 2.0}))
assert(same(collect(0.1, 0.35, 0.1), {0.1, 0.2, 0.30000000000000004}))
assert(same(collect(3, 1, -0.5), {3.0, 2.5, 2.0, 1.5, 1.0}))

-- errors
local function error_of (f) local ok, err = pcall(f); assert(not ok); return err end
assert(error_of(function () for i = 1, 10, 0 do end end):find("'for' step is zero"))
assert(error_of(function () for i = 1.0, 10, 0.0 do end end):find("'for' step is zero"))
assert(error_of(function () for i = "a", 10 do end end)
       :find("bad 'for' initial value (number expected, got string)", 1, true))
assert(error_of(function () for i = 1, {} do end end)
       :find("bad 'for' limit (number expected, got table)", 1, true))
assert(error_of(function () for i = 1, 2, "x" do end end)
       :find("bad 'for' step (number expected, got string)", 1, true))
assert(same(collect("1", 2), {1.0, 2.0}))   -- numeric strings are converted (to floats)

-- the control variable is a fresh local: changing it does not change the iteration
local iterations = 0
for i = 1, 3 do
  i = i * 100
  iterations = iterations + 1
end
assert(iterations == 3)

-- the limit and step are evaluated once
local evaluations = 0
local function limit () evaluations = evaluations + 1; return 3 end
for i = 1, limit() do end
assert(evaluations == 1)

-- generic for
local keys = {}
for k in pairs({a = 1, b = 2, c = 3}) do keys[#keys + 1] = k end
table.sort(keys)
assert(table.concat(keys) == "abc")
local sum = 0
for i, v in ipairs({10, 20, 30, nil, 50}) do sum = sum + i * v end
assert(sum == 10 + 40 + 90)
local function range (count)
  return function (state, control)
    if control < state then return control + 1, (control + 1) * 2 end
  end, count, 0
end
local pairs_seen = {}
for i, double in range(3) do pairs_seen[#pairs_seen + 1] = i .. ":" .. double end
assert(table.concat(pairs_seen, ",") == "1:2,2:4,3:6")
for a, b, c, d, e in range(1) do
  assert(a == 1 and b == 2 and c == nil and d == nil and e == nil)
end
-- the iterator may return more values than variables
for x in function (_, c) if not c then return 1, 2, 3 end end do assert(x == 1) end

-- while and repeat
local i = 0
while i < 5 do i = i + 1 end
assert(i == 5)
while false do error("never") end
while nil do error("never") end
repeat i = i - 1 until i == 0
assert(i == 0)
local count = 0
repeat count = count + 1 until true
assert(count == 1)
-- repeat's condition sees the body's locals
local steps = 0
repeat
  local done = steps >= 2
  steps = steps + 1
until done
assert(steps == 3)

-- nested loops with break only leaving the innermost
local pairs_found = 0
for x = 1, 3 do
  for y = 1, 3 do
    if y > x then break end
    pairs_found = pairs_found + 1
  end
end
assert(pairs_found == 6)

-- loops inside functions called from loops
local function inner_sum (limit_value)
  local s = 0
  for k = 1, limit_value do s = s + k end
  return s
end
local total = 0
for k = 1, 4 do total = total + inner_sum(k) end
assert(total == 1 + 3 + 6 + 10)
