-- String literals: escapes, long strings, byte values.
print("a\tb", "a\\b", "quote\"s", 'single\'s', "nl\\n")
print(#"\n", #"\r\n", #"\0", #"\x41", #"\65", #"\u{48}", #"\u{7FF}", #"\u{FFFF}", #"\u{10FFFF}")
print("\65\066\0067", "\x41\x62\x7A", "\u{48}\u{49}", "\z
      continued", "a\
b")
print(string.byte("\a\b\f\n\r\t\v\\\"\'", 1, -1))
print(string.byte("\u{7FFFFFFF}", 1, -1))
print(string.byte("\u{80}\u{800}\u{10000}", 1, -1))
print(#"\u{7FFFFFFF}", #[[
x]], [[
first newline skipped]], [==[a]]b]=]c]==])
print([[a\nb]], #[[\0]], [=[
]=] == "", [[
line1
line2]])
print(("x"):rep(3), ("%d"):format(7), #"", ("abc"):upper())
print("\z   ", #"\z
       ", "a\z  b")
print(load([[return "\300"]]))
print(load([[return "\xZZ"]]))
print(load([[return "\u{110000000}"]]))
print(load([[return "\q"]]))
print(load([[return "abc]]))
print(load("return 'abc\ndef'"))
print(load("return [[abc"))
print(load("return [==[abc]=]"))
print(load([[return "\u{}"]]))
print(load([[return "\u{12"]]))
print(load([[return "\u123"]]))
print(load([[return "\x5"]]))
print(load("return '\\256'"))
print(load("return '\\255'")())
print(load("x = [=x"))
print(#"\r\n", #[[a
b]], #"a\
b", load("return [[a\r\nb]]")() == "a\nb", load("return [[a\n\rb]]")() == "a\nb")
print(load("return 'a\\\r\nb'")() == "a\nb", load("return 'a\\\n\rb'")() == "a\nb")
