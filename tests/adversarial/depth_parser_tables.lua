-- attack: deeply nested table constructors and blocks in source text.
-- expect: ok
-- fuel: 50000000
for _, src in ipairs {
  "return " .. string.rep("{", 100000) .. string.rep("}", 100000),
  string.rep("do ", 100000) .. string.rep("end ", 100000),
  string.rep("if x then ", 100000) .. string.rep("end ", 100000),
  string.rep("while x do ", 100000) .. string.rep("end ", 100000),
  "return " .. string.rep("function() return ", 100000) .. "1" .. string.rep(" end", 100000),
  "return " .. string.rep("-", 100000) .. "1",
  "return " .. string.rep("not ", 100000) .. "1",
  "return " .. string.rep("a.", 100000) .. "b",
  "return " .. string.rep("a(", 100000) .. string.rep(")", 100000),
  "return 1" .. string.rep(" .. 1", 100000),
  "return 2" .. string.rep(" ^ 2", 100000),
  "x = " .. string.rep("a[", 100000) .. "1" .. string.rep("]", 100000),
} do
  local f, err = load(src)
  assert(not f or type(f) == "function")
  if err then print(err:sub(1, 80)) end
end
