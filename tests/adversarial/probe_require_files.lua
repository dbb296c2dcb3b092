-- attack: require tries to reach the file system through package.path / searchers.
-- expect: ok
if not require then return end
package.path = "/etc/?;/etc/?.lua;./?;./?.lua"
package.cpath = "/lib/x86_64-linux-gnu/?.so"
for _, name in ipairs { "passwd", "hostname", "io", "os", "debug", "libc" } do
  local ok, mod = pcall(require, name)
  assert(not ok or name == "os", "require " .. name .. " succeeded")
end
if package.searchers then
  for i, searcher in ipairs(package.searchers) do
    local r = searcher("passwd")
    assert(type(r) ~= "function", "searcher " .. i .. " found a file")
  end
end
