-- attack: raw functions and type checks with every kind of bogus argument.
-- expect: ok
local values = { nil, true, 0, -0.0, 1 / 0, 0 / 0, math.mininteger, "", {}, print, coroutine.create(print) }
for i = 1, 11 do
  for j = 1, 11 do
    local a, b = values[i], values[j]
    pcall(rawlen, a); pcall(rawequal, a, b); pcall(rawget, a, b); pcall(rawset, a, b, a)
    pcall(setmetatable, a, b); pcall(getmetatable, a); pcall(next, a, b); pcall(ipairs, a)
    pcall(select, a, b); pcall(tostring, a); pcall(tonumber, a, b); pcall(type, a)
    pcall(string.rep, a, b); pcall(string.format, a, b); pcall(table.concat, a, b)
    pcall(table.insert, a, b); pcall(table.remove, a, b); pcall(table.unpack, a, b, a)
    pcall(utf8.char, a, b); pcall(utf8.codepoint, a, b, b); pcall(string.sub, a, b, b)
    pcall(math.floor, a); pcall(math.fmod, a, b); pcall(math.random, a, b)
  end
end
