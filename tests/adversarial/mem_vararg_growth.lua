-- attack: passing ever larger vararg lists through nested calls.
-- expect: fuel exhausted | stack overflow
local function grow(...) return grow(1, ...) end
grow()
