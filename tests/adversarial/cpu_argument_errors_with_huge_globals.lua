-- attack: every argument error searches the loaded modules (and _G) for the function's
-- name; with a million entries in _G each `pcall(string.rep)` would scan all of them.
-- expect: fuel exhausted
for i = 1, 1000000 do _G[i] = i end
while true do pcall(string.rep) end
