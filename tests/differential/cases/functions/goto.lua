-- goto and labels: loops, continue, nested blocks, and the compile errors.
local out = {}
for i = 1, 5 do
  if i % 2 == 0 then goto continue end
  out[#out + 1] = i
  ::continue::
end
print(table.concat(out, ","))
local n = 0
::top::
n = n + 1
if n < 5 then goto top end
print("looped to", n)
do
  goto skip
  print("skipped")
  ::skip::
  print("after skip")
end
local fs = {}
do
  local i = 1
  ::again::
  local x = i
  fs[#fs + 1] = function() return x end
  i = i + 1
  if i <= 3 then goto again end
end
print(fs[1](), fs[2](), fs[3]())
for i = 1, 3 do
  for j = 1, 3 do
    if j == 2 then goto next_i end
    print("pair", i, j)
  end
  ::next_i::
end
local function find(t, target)
  for i, v in ipairs(t) do
    if v == target then goto found end
  end
  do return "not found" end
  ::found::
  return "found"
end
print(find({1, 2, 3}, 2), find({1, 2, 3}, 4))
while true do
  goto out_of_while
end
::out_of_while::
print("left the while loop")
local function try(src) local f, e = load(src); print(f and "compiles" or e) end
try("goto nowhere")
try("do ::a:: end goto a")
try("::dup:: ::dup::")
try("goto f; local x; ::f:: print(x)")
try("do goto f; local x; ::f:: end")
try("repeat goto cont; local x; ::cont:: until x")
try("::a:: ::b:: goto a")
try("local goto = 1")
try("break")
try("for i = 1, 2 do end break")
try("if true then break end")
try("do ::l:: end ::l::")
