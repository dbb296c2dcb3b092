-- attack: error objects whose __tostring errors, raised through nested handlers.
-- expect: ok
local bad = setmetatable({}, { __tostring = function() error("again") end })
local ok, err = pcall(error, bad)
assert(not ok and err == bad)
print(pcall(print, bad))
print(xpcall(function() error(bad) end, function(e) error(e) end))
print(select("#", pcall(tostring, bad)))
print(pcall(string.format, "%s", bad))
