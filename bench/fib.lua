-- Call-heavy recursion: naive Fibonacci.
local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end
local N = tonumber(arg and arg[1]) or 35
print("checksum", fib(N))
