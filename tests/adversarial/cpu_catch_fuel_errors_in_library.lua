-- attack: catching the "fuel exhausted inside a non-resumable call" error of a library
-- function in a loop, hoping each retry starts with a fresh overdraft.
-- expect: fuel exhausted
local s = string.rep("a", 100000)
table.sort({ 3, 2, 1 }, function(a, b)
  while true do pcall(string.find, s, ".-.-.-.-b") end
end)
