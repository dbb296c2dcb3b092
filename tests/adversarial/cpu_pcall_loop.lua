-- attack: CPU bomb that swallows every error it can, hoping fuel exhaustion is catchable.
-- expect: fuel exhausted
while true do
  pcall(function() while true do end end)
end
