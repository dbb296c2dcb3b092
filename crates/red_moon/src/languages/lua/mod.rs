//! The Lua 5.4 compiler: lexer, parser, code generation.
