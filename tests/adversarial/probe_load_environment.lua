-- attack: load with an explicit environment must not see or leak the real globals.
-- expect: ok
local env = {}
local f = assert(load("x = 1; return print", "chunk", "t", env))
assert(f() == nil)
assert(env.x == 1 and x == nil)
local g = assert(load("return _ENV", "c", "t", env))
assert(g() == env)
