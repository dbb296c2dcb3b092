-- An error that leaves the script closes its pending to-be-closed variables with the
-- error (lua.c's message handler has added a traceback by then: only its first line is
-- printed); a failing `__close` replaces the error that is reported.
local first <close> = setmetatable({}, {__close = function (_, err)
  print("first closed", (string.match(err, "^[^\n]*")))
  error("first failed", 0)
end})
local second <close> = setmetatable({}, {__close = function (_, err)
  print("second closed", (string.match(err, "^[^\n]*")))
end})
error("boom")
