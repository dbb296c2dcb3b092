-- attack: gsub that doubles every character, applied repeatedly.
-- expect: not enough memory | fuel exhausted
local s = "ab"
while true do s = s:gsub(".", "%0%0") end
