-- attack: looks for host capabilities among globals and library tables.
-- expect: ok
assert(io == nil, "io reachable")
assert(debug == nil, "debug reachable")
assert(loadfile == nil, "loadfile reachable")
assert(dofile == nil, "dofile reachable")
if os then
  for _, name in ipairs { "execute", "remove", "rename", "getenv", "exit", "tmpname", "setlocale" } do
    assert(os[name] == nil, "os." .. name .. " reachable")
  end
end
if package then
  if package.loadlib then
    local f, err = package.loadlib("/lib/x86_64-linux-gnu/libc.so.6", "*")
    assert(f == nil, "package.loadlib loaded a library")
  end
  assert(package.cpath == nil or type(package.cpath) == "string")
end
assert(string.dump == nil or not pcall(string.dump, print))
