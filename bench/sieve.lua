-- Sieve of Eratosthenes, repeated: boolean arrays and integer loops.
local N = tonumber(arg and arg[1]) or 3000000
local function sieve(n)
  local composite = {}
  for i = 1, n do composite[i] = false end
  local count = 0
  for i = 2, n do
    if not composite[i] then
      count = count + 1
      for j = i * i, n, i do composite[j] = true end
    end
  end
  return count
end
local total = 0
for _ = 1, 3 do total = total + sieve(N) end
print("checksum", total)
