-- attack: gsub replacement function that calls gsub again (Rust re-entry).
-- expect: stack overflow
local function f(c) return ("x"):gsub(".", f) end
("x"):gsub(".", f)
