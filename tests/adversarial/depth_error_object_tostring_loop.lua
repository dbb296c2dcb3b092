-- attack: the uncaught error object's __tostring loops forever, so whoever turns the error
-- into a message (the host, via luaL_tolstring-like conversion) runs hostile code.
-- expect: error object is a table value
error(setmetatable({}, { __tostring = function() while true do end end }))
