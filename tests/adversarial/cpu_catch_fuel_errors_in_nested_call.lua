-- attack: inside a call that cannot pause (a sort comparator), fuel exhaustion is a Lua error;
-- catching it with pcall in a loop must not buy another overdraft each time.
-- expect: fuel exhausted
table.sort({ 3, 2, 1 }, function(a, b)
  while true do pcall(function() while true do end end) end
end)
