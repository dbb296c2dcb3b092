-- os.date, os.time, os.difftime, os.clock. Only values that do not depend on the machine's
-- clock or time zone are compared ("!" formats are UTC; differences of os.time results
-- do not depend on the zone).

-- UTC formats of fixed times
assert(os.date("!%Y-%m-%d %H:%M:%S", 0) == "1970-01-01 00:00:00")
assert(os.date("!%c", 86400 * 365) == "Fri Jan  1 00:00:00 1971")
assert(os.date("!%A %a %B %b %j %U %w %y %p %I", 1e9) == "Sunday Sun September Sep 252 36 0 01 AM 01")
assert(os.date("!%x %X %D %T %R %e %%", 1234567890) == "02/13/09 23:31:30 02/13/09 23:31:30 23:31 13 %")
assert(os.date("!%Ex %OH", 0) == "01/01/70 00")
assert(os.date("") == "" and os.date("!") == "" and os.date("\0\0") == "\0\0")
assert(os.date(string.rep("%%", 100)) == string.rep("%", 100))

-- tables
do
  local t = os.date("!*t", 1e9)
  assert(t.year == 2001 and t.month == 9 and t.day == 9 and t.hour == 1 and t.min == 46 and
         t.sec == 40 and t.wday == 1 and t.yday == 252 and t.isdst == false)
  local now = os.time()
  assert(math.type(now) == "integer")
  local here = os.date("*t", now)
  assert(os.time(here) == now)            -- round trip in local time
end

-- os.time normalizes the table it is given
do
  local t = {year = 2005, month = 1, day = 1, hour = 1, min = 0, sec = -3602}
  os.time(t)
  assert(t.year == 2004 and t.month == 12 and t.day == 31 and t.hour == 23 and
         t.min == 59 and t.sec == 58 and t.yday == 366 and t.wday == 6)
  local u = {year = 2000, month = 14, day = 0}
  os.time(u)
  assert(u.year == 2001 and u.month == 1 and u.day == 31 and u.hour == 12)
end

-- differences do not depend on the zone
do
  local t1 = os.time{year = 2000, month = 10, day = 1, hour = 23, min = 12}
  local t2 = os.time{year = 2000, month = 10, day = 1, hour = 23, min = 10, sec = 19}
  assert(os.difftime(t1, t2) == 60 * 2 - 19)
  assert(math.type(os.difftime(t1, t2)) == "float")
  local a = os.time{year = 2024, month = 1, day = 1, hour = 0}
  local b = os.time{year = 2025, month = 1, day = 1, hour = 0}
  assert(b - a == 366 * 86400)
  -- string fields that are integers are accepted, as are integral floats
  assert(os.time{year = "2024", month = 1.0, day = "1", hour = 0} == a)
end

-- errors, with PUC's messages
local function error_message(f, ...)
  local ok, message = pcall(f, ...)
  assert(not ok)
  return message
end
assert(string.find(error_message(os.date, "%Ez"),
  "bad argument #1 to 'os.date' (invalid conversion specifier '%Ez')", 1, true))
assert(string.find(error_message(os.date, "%"), "invalid conversion specifier '%'", 1, true))
assert(string.find(error_message(os.date, "%Y", 1.5), "number has no integer representation", 1, true))
assert(string.find(error_message(os.time, {hour = 12}), "field 'year' missing in date table", 1, true))
assert(string.find(error_message(os.time, {year = 2000, month = 1}), "field 'day' missing in date table", 1, true))
assert(string.find(error_message(os.time, {year = 2000, day = 1}), "field 'month' missing in date table", 1, true))
assert(string.find(error_message(os.time, {year = 1000, month = 1, day = 1, hour = 'x'}),
  "field 'hour' is not an integer", 1, true))
assert(string.find(error_message(os.time, {year = 1000, month = 1, day = 1.5}),
  "field 'day' is not an integer", 1, true))
assert(string.find(error_message(os.time, {year = 0, month = 1, day = 2^32}),
  "field 'day' is out-of-bound", 1, true))
assert(string.find(error_message(os.time, {year = 2^60, month = 1, day = 1}),
  "field 'year' is out-of-bound", 1, true))
assert(string.find(error_message(os.time, 1), "bad argument #1 to 'os.time' (table expected, got number)", 1, true))
assert(string.find(error_message(os.difftime, 1), "bad argument #2 to 'os.difftime' (number expected, got no value)", 1, true))

-- os.clock counts seconds as a float
do
  local c = os.clock()
  assert(math.type(c) == "float" and c >= 0)
end

print("OK")
