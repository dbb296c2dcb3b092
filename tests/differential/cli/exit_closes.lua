-- os.exit(code, true) closes the state: pending to-be-closed variables of the main chunk
-- are closed, newest first, with a nil error.
local first <close> = setmetatable({}, {__close = function (_, err)
  print("first closed", err)
end})
local second <close> = setmetatable({}, {__close = function (_, err)
  print("second closed", err)
end})
print("exiting")
os.exit(true, true)
