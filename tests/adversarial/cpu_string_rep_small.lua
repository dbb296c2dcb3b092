-- attack: string.rep below the memory limit but repeated many times; each call must pay.
-- expect: fuel
for i = 1, 1e9 do local s = string.rep("ab", 1000000) end
