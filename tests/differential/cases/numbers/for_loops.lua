-- Numeric for loops: integer and float loops, overflow-free limits, errors.
local function run(a, b, c)
  local out = {}
  if c then
    for i = a, b, c do out[#out + 1] = tostring(i) if #out > 20 then break end end
  else
    for i = a, b do out[#out + 1] = tostring(i) if #out > 20 then break end end
  end
  print(a, b, c, "->", table.concat(out, " "))
end
run(1, 3)
run(3, 1)
run(3, 1, -1)
run(1.0, 3)
run(1, 3.0)
run(1, 2.5)
run(1, -math.huge)
run(1, 2, 0.5)
run(0, 1, 0.1)
run(1, 0, -0.25)
run(math.maxinteger - 2, math.maxinteger)
run(math.mininteger, math.mininteger + 2)
run(math.mininteger + 2, math.mininteger, -1)
run(math.maxinteger - 1, math.huge)
run(1, math.maxinteger, math.maxinteger)
run(-1, math.mininteger, math.mininteger)
run(0, 10, 3)
run(10, 0, -3)
run(1, 1)
run(1.5, 3)
run(-3, -1)
run(5, 2^53, 2^52)
run(1, 3, 1.0)
run(1, 0.5)
run(0, -0.5, -1)
run(math.mininteger, -math.huge, -1)
print(pcall(run, 1, 2, 0))
print(pcall(run, 1.0, 2, 0.0))
print(pcall(function() for i = "1", 2 do end end))
print(pcall(function() for i = 1, "2" do end end))
print(pcall(function() for i = 1, 2, "1" do end end))
print(pcall(function() for i = nil, 2 do end end))
print(pcall(function() for i = 1, {} do end end))
print(pcall(function() for i = 1, 2, false do end end))
local count = 0
for i = 1, 3 do local j = i; i = 10; count = count + j end
print("modifying the control variable does not affect the loop", count)
for i = 3, 1 do print("never") end
print(pcall(function() for i = 1, 2, 0 do end end))
