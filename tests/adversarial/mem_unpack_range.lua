-- attack: table.unpack over a huge index range.
-- expect: too many results to unpack
return table.unpack({}, 1, 1 << 40)
