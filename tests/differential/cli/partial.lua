io.write("partial line without newline")
print()
print("second")
local t = nil
print(t.field)
