-- attack: the uncaught error object's __tostring raises errors (itself with a hostile
-- __tostring) and recursion.
-- expect: error object is a table value
local evil
evil = setmetatable({}, { __tostring = function(self) error(evil) end })
error(evil)
