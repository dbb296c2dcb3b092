-- attack: hash flooding of a table's hash part. Integer keys hash through a fixed,
-- invertible mix (table.rs `mix`), so a script can compute keys whose hashes share their
-- low bits (every insertion and lookup would walk one collision chain: O(N^2) work for
-- O(N) fuel), or keys with consecutive hashes (one long run that every lookup of a
-- missing key starting inside it would walk). The index bounds each probe and sends keys
-- that collide too much to an ordered overflow map, so both finish in linear time.
-- Before the fix: 25k keys took 1.3 s, 100k keys 28 s.
-- fuel: 40000000
-- expect: ok
local C_INVERSE = 0xcfee444d8b59a89b -- inverse of table.rs's multiplier mod 2^64
local function unxorshift(y) return y ~ (y >> 32) end
local function unmix(h) return unxorshift(unxorshift(h) * C_INVERSE) end

local N = 150000

-- Keys sharing their low 24 hash bits: one home slot for all.
local flood = {}
for j = 1, N do flood[unmix(j << 24)] = j end
for j = 1, N, 7 do assert(flood[unmix(j << 24)] == j) end
for j = N + 1, N + 50000 do assert(flood[unmix(j << 24)] == nil) end

-- Keys with consecutive hashes: one run of occupied slots; look up absent keys whose home
-- slot lies inside it (same low bits, different high bits).
local run = {}
for j = 1, N do run[unmix(j)] = true end
for j = 1, N do assert(run[unmix(j + (1 << 40))] == nil) end

-- The table still behaves: overwrite, remove, traverse in insertion order.
flood[unmix(1 << 24)] = "first"
flood[unmix(2 << 24)] = nil
local count, first = 0, nil
for k, v in pairs(flood) do
  count = count + 1
  first = first or v
end
assert(count == N - 1 and first == "first")
