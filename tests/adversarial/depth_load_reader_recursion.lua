-- attack: a load reader function that calls load with itself as reader (Rust re-entry).
-- expect: ok
local depth = 0
local function reader()
  depth = depth + 1
  local f, err = load(reader)
  assert(f == nil and type(err) == "string")
  return nil
end
local f, err = load(reader)
print(depth, err)
