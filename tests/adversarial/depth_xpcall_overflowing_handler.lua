-- attack: a message handler that overflows the Lua stack, so every overflow calls it again.
-- Red Moon re-runs the handler for each nested error (PUC gives up at the first overflow
-- inside a handler), which multiplies the work: fuel must still bound it.
-- expect: fuel exhausted | error in error handling
local function g(e) return g(e) .. "x" end
print(xpcall(error, g))
