-- `__close` handlers that run because a pcall/xpcall caught an error: they get the error,
-- may yield (the closing resumes with the coroutine), and an error in one replaces the
-- error for the next ones (after xpcall's message handler, which sees it too).

local function closer (name, action)
  return setmetatable({}, {__close = function (_, err)
    print("close", name, type(err) == "table" and "code " .. err.code or err)
    if action == "yield" then
      print("resumed with", coroutine.yield(name))
    elseif action == "error" then
      error(name .. " failed", 0)
    end
  end})
end

-- plain pcall: nothing yields
print(pcall(function ()
  local a <close> = closer("a")
  local b <close> = closer("b", "error")
  local c <close> = closer("c")
  error("body", 0)
end))

-- xpcall: the handler sees the body's error and the error of each failing __close
local function handler (m) return "H(" .. tostring(m) .. ")" end
print(xpcall(function ()
  local a <close> = closer("a")
  local b <close> = closer("b", "error")
  error("body", 0)
end, handler))

-- yielding inside __close after an error, in pcall and xpcall
for _, protect in ipairs{"pcall", "xpcall"} do
  local co = coroutine.wrap(function ()
    local function body ()
      local a <close> = closer("a", "yield")
      local b <close> = closer("b", "error")
      local c <close> = closer("c", "yield")
      error({code = 7})
    end
    local ok, err
    if protect == "pcall" then
      ok, err = pcall(body)
    else
      ok, err = xpcall(body, function (m)
        return type(m) == "table" and "code " .. m.code or handler(m)
      end)
    end
    return "done", ok, err
  end)
  print(protect, co())
  print(protect, co("r1"))
  print(protect, co("r2"))
end

-- a native __close (coroutine.yield itself) after an error
do
  local co = coroutine.wrap(function ()
    return pcall(function ()
      local x <close> = setmetatable({}, {__close = coroutine.yield})
      error("native", 0)
    end)
  end)
  local v, e = co()
  print("yielded", type(v), e)
  print(co())
end

-- many variables closed by a native __close: no deep recursion
do
  local count = 0
  local mt = {__close = rawlen}
  local function many (n)
    if n == 0 then error("deep", 0) end
    local x <close> = setmetatable({}, mt)
    count = count + 1
    return many(n - 1)
  end
  local ok, err = pcall(many, 5000)
  print(ok, err, count)
end
