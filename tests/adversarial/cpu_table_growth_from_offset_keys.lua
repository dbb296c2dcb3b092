-- attack: an array filled from index 2 (or any start above 1). Found by the `execute`
-- fuzzer: after each rebuild the key just past the array part's end landed in the hash
-- part, every later key followed it, and the table rebuilt (an O(n) pass) every few
-- insertions, so filling n keys cost O(n^2) for O(n) fuel. 400,000 keys took about 15 s.
-- expect: ok
for _, start in ipairs({2, 3, 6, 1000}) do
  local t = {}
  for i = start, start + 400000 do t[i] = true end
  assert(t[start] and t[start + 400000] and t[start - 1] == nil)
end
