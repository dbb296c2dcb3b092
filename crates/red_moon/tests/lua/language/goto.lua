-- goto, labels and break: continue patterns, backward jumps, closing captured variables,
-- scoping rules and the compile-time errors. Prints nothing on success.

-- 'continue' idiom
local odd = {}
for i = 1, 10 do
  if i % 2 == 0 then goto continue end
  odd[#odd + 1] = i
  ::continue::
end
assert(#odd == 5 and odd[5] == 9)

-- continue in while and repeat loops (the label ends the block)
local i, sum = 0, 0
while i < 10 do
  i = i + 1
  if i == 5 then goto continue end
  sum = sum + i
  ::continue::
end
assert(sum == 50)

i, sum = 0, 0
repeat
  i = i + 1
  if i % 3 == 0 then goto next end
  sum = sum + i
  ::next::
until i >= 9
assert(sum == 1 + 2 + 4 + 5 + 7 + 8)

-- backward goto as a loop
local n = 0
::again::
n = n + 1
if n < 5 then goto again end
assert(n == 5)

-- every iteration of a goto loop gets a fresh local when closures capture it
local fs = {}
do
  local k = 1
  ::top::
  local v = k * 10
  fs[#fs + 1] = function () return v end
  k = k + 1
  if k <= 3 then goto top end
end
assert(fs[1]() == 10 and fs[2]() == 20 and fs[3]() == 30)

-- goto out of nested blocks and loops
local found
for a = 1, 3 do
  for b = 1, 3 do
    if a * b == 6 then
      found = {a, b}
      goto done
    end
  end
end
::done::
assert(found[1] == 2 and found[2] == 3)

-- goto leaving the scope of captured variables closes them (fresh upvalues each time)
local closures = {}
for round = 1, 3 do
  do
    local captured = round
    closures[round] = function () return captured end
    if round < 3 then goto skip end
    captured = captured * 100
  end
  ::skip::
end
assert(closures[1]() == 1 and closures[2]() == 2 and closures[3]() == 300)

-- break closes captured variables of the loop body
local saved = {}
for j = 1, 5 do
  local value = j
  saved[j] = function () value = value + 1; return value end
  if j == 3 then break end
end
assert(saved[1]() == 2 and saved[2]() == 3 and saved[3]() == 4 and saved[4] == nil)
assert(saved[1]() == 3)   -- each closure kept its own variable

-- break out of while/repeat with captured locals
local w = {}
local count = 0
while true do
  count = count + 1
  local c = count
  w[count] = function () return c end
  if count == 3 then break end
end
assert(w[1]() == 1 and w[3]() == 3)

local r = {}
count = 0
repeat
  count = count + 1
  local c = count * 2
  r[count] = function () return c end
  if count == 2 then break end
until false
assert(r[1]() == 2 and r[2]() == 4)

-- if ... then break (the condition jumps out directly), with and without more code
local t = {}
for j = 1, 10 do
  if j > 3 then break end
  t[#t + 1] = j
end
assert(#t == 3)
t = {}
for j = 1, 10 do
  if j > 3 then break; end
  t[#t + 1] = j
end
assert(#t == 3)
t = {}
for j = 1, 10 do
  if j > 3 then break else t[#t + 1] = j end
end
assert(#t == 3)
local hits = 0
for j = 1, 3 do
  if j == 2 and hits == 1 or j > 10 then break end
  hits = hits + 1
end
assert(hits == 1)

-- a label at the end of a block is outside the scope of the block's locals
do
  goto last
  local x = 1
  ::last::
end

-- same label name in different functions and in sibling blocks
local function f1 () goto l; ::l:: return 1 end
local function f2 () do goto l end; ::l:: return 2 end
do ::m:: end
do ::m:: end
assert(f1() == 1 and f2() == 2)

-- nested function with its own loop and labels
local function outer ()
  local acc = {}
  for x = 1, 3 do
    local function inner ()
      for y = 1, 3 do
        if y == 2 then goto continue end
        acc[#acc + 1] = x * 10 + y
        ::continue::
      end
    end
    inner()
  end
  return acc
end
local acc = outer()
assert(#acc == 6 and acc[1] == 11 and acc[2] == 13 and acc[6] == 33)

-- compile-time errors (messages as PUC Lua 5.4 reports them)
local function error_of (source)
  local f, message = load(source, "=src")
  assert(f == nil)
  return message
end
assert(error_of("goto l") == "src:1: no visible label 'l' for <goto> at line 1")
assert(error_of("do goto l end") == "src:1: no visible label 'l' for <goto> at line 1")
assert(error_of("::l:: goto m") == "src:1: no visible label 'm' for <goto> at line 1")
assert(error_of("local function f() goto l end ::l::")
       == "src:1: no visible label 'l' for <goto> at line 1")
assert(error_of("::a::\n::a::") == "src:2: label 'a' already defined on line 2")  -- sic
assert(error_of("::a:: x = 1\n::a::") == "src:2: label 'a' already defined on line 1")
assert(error_of("::a:: do ::a:: end") == "src:1: label 'a' already defined on line 1")
assert(error_of("goto f; local x; ::f:: print(x)")
       == "src:1: <goto f> at line 1 jumps into the scope of local 'x'")
assert(error_of("repeat goto f; local x; ::f:: until x")
       == "src:1: <goto f> at line 1 jumps into the scope of local 'x'")
assert(error_of("break") == "src:1: break outside loop at line 1")
assert(error_of("x = 1\n\nbreak\n") == "src:4: break outside loop at line 3")
assert(error_of("for i = 1, 2 do end break") == "src:1: break outside loop at line 1")
assert(error_of("local function f() break end") == "src:1: break outside loop at line 1")
assert(error_of("goto 1") == "src:1: <name> expected near '1'")
assert(error_of("::l") == "src:1: '::' expected near <eof>")
assert(load("goto f; local x; ::f::"))          -- label at the end: allowed
assert(load("do goto f; local x; ::f:: ; ; end")) -- trailing ';' do not count
assert(load("while 1 do goto l local y ::l:: ; ; end"))
