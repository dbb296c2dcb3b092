-- attack: collectgarbage with every option and absurd parameters.
-- expect: ok
for _, opt in ipairs { "collect", "step", "count", "isrunning", "incremental", "generational", "stop", "restart" } do
  pcall(collectgarbage, opt, math.maxinteger, math.mininteger)
  pcall(collectgarbage, opt, -1, 1e308)
end
pcall(collectgarbage, "step", math.maxinteger)
pcall(collectgarbage, "setpause", 0)
pcall(collectgarbage, "setstepmul", math.maxinteger)
print(pcall(collectgarbage, "bogus"))
collectgarbage("stop")
local keep = {}
for i = 1, 1000 do keep[i] = {} end
collectgarbage("restart")
collectgarbage()
