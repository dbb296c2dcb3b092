-- attack: CPU bomb through endless proper tail calls (no stack growth).
-- expect: fuel exhausted
local function f(n) return f(n + 1) end
return f(0)
