-- The arg table and ... of a script run without arguments (arg[-1] names the interpreter, so
-- it is not printed).
print(arg[0], #arg, select("#", ...), arg[1], type(arg[-1]))
print(type(arg), arg[0]:match("%.lua$") ~= nil)
