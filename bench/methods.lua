-- Object-oriented code: classes with metatables, __index method lookup, inheritance.
local Point = {}
Point.__index = Point
function Point.new(x, y) return setmetatable({x = x, y = y}, Point) end
function Point:add(o) return Point.new(self.x + o.x, self.y + o.y) end
function Point:dot(o) return self.x * o.x + self.y * o.y end
function Point:scale(k) self.x = self.x * k; self.y = self.y * k; return self end
local Point3 = setmetatable({}, {__index = Point})
Point3.__index = Point3
function Point3.new(x, y, z) local p = Point.new(x, y); p.z = z; return setmetatable(p, Point3) end
function Point3:dot(o) return Point.dot(self, o) + self.z * (o.z or 0) end
local Account = {}
Account.__index = Account
function Account.new() return setmetatable({balance = 0, ops = 0}, Account) end
function Account:deposit(v) self.balance = self.balance + v; self.ops = self.ops + 1 end
function Account:withdraw(v) if v <= self.balance then self.balance = self.balance - v end; self.ops = self.ops + 1 end
local N = tonumber(arg and arg[1]) or 600000
local acc = Point.new(0, 0)
local d = 0
for i = 1, N do
  local p = Point.new(i % 10, i % 7)
  acc = acc:add(p)
  d = d + p:dot(acc) % 1000
end
local q = Point3.new(1, 2, 3)
local d3 = 0
for i = 1, N do d3 = d3 + q:dot(q) + q:scale(1):dot(Point.new(1, 1)) end
local account = Account.new()
for i = 1, N do account:deposit(i % 100); account:withdraw(i % 37) end
print("checksum", acc.x, acc.y, d, d3, account.balance, account.ops)
