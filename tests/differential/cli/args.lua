-- Prints the arg table (without arg[-3] and below, which name the interpreter binary).
local first = 0
while arg[first - 1] ~= nil and first > -2 do first = first - 1 end
for i = first, #arg do
  print(i, arg[i])
end
print("#arg", #arg, "varargs", select("#", ...), ...)
print("y", y, "z", z)
