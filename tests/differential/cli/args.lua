-- Prints the arg table (without arg[-3] and below, which name the interpreter binary).
local first = 0
while arg[first - 1] ~= nil and first > -2 do first = first - 1 end
-- The interpreter's own name (its path) differs between the two interpreters.
local binary = arg[first]
for i = first, #arg do
  print(i, arg[i] == binary and i < 0 and "<interpreter>" or arg[i])
end
print("#arg", #arg, "varargs", select("#", ...), ...)
print("y", y, "z", z)
