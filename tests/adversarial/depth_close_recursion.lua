-- attack: __close handlers that error and nest closes inside closes.
-- expect: ok
local function make(n)
  return setmetatable({}, { __close = function()
    if n > 0 then local x <close> = make(n - 1) end
    error("close " .. n)
  end })
end
print(pcall(function() local x <close> = make(150) end))
