-- lua.c converts an uncaught error object with __tostring inside its message handler:
-- __tostring runs at level 1, the handler at 2, `error` at 3, this chunk at 4.
local m = setmetatable({}, {__tostring = function ()
  local whats = {}
  for level = 1, 4 do
    whats[#whats + 1] = debug.getinfo(level, "S").what
  end
  return table.concat(whats, " ") .. " line " .. debug.getinfo(4, "l").currentline
end})
error(m)
