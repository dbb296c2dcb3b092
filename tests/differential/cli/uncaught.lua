local function fail() error("boom") end
print("start")
fail()
