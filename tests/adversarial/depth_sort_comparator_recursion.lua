-- attack: a sort comparator that sorts again (Rust re-entry through table.sort).
-- expect: stack overflow
local function cmp(a, b) table.sort({ 3, 2, 1 }, cmp); return a < b end
table.sort({ 3, 2, 1 }, cmp)
