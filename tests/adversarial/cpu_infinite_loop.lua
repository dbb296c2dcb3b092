-- attack: CPU bomb, an empty infinite loop.
-- expect: fuel exhausted
while true do end
