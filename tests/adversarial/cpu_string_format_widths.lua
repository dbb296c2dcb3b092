-- attack: string.format with maximal widths and precisions in a loop.
-- expect: fuel
for i = 1, 1e9 do
  local s = string.format("%99d%99.99f%-99s%99.99s%099x", i, i / 3, "x", "y", i)
end
