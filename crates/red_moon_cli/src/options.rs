//! Command-line parsing compatible with the `lua` standalone interpreter (`lua.c`), plus
//! Red Moon's sandbox options.

/// One `-e` or `-l` action, run in command-line order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// `-e stat`
    Execute(String),
    /// `-l mod` or `-l g=mod`
    Require { global: String, module: String },
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    pub actions: Vec<Action>,
    pub interactive: bool,
    pub version: bool,
    pub ignore_environment: bool,
    pub warnings: bool,
    /// Index in `argv` of the script (or `-` for stdin); `None` when there is none.
    pub script: Option<usize>,
    /// `--sandbox`: only the safe libraries.
    pub sandbox: bool,
    /// `--fuel N`: instruction budget for the whole run.
    pub fuel: Option<i64>,
    /// `--memory-limit BYTES`.
    pub memory_limit: Option<usize>,
}

/// A command-line error, reported like `lua.c` does.
#[derive(Debug, PartialEq, Eq)]
pub enum UsageError {
    Unrecognized(String),
    NeedsArgument(String),
    BadNumber(String),
}

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UsageError::Unrecognized(option) => write!(f, "unrecognized option '{option}'"),
            UsageError::NeedsArgument(option) => write!(f, "'{option}' needs argument"),
            UsageError::BadNumber(option) => write!(f, "'{option}' needs a number"),
        }
    }
}

pub const USAGE: &str = "usage: PROGNAME [options] [script [args]]
Available options are:
  -e stat   execute string 'stat'
  -i        enter interactive mode after executing 'script'
  -l mod    require library 'mod' into global 'mod'
  -l g=mod  require library 'mod' into global 'g'
  -v        show version information
  -E        ignore environment variables
  -W        turn warnings on
  --        stop handling options
  -         stop handling options and execute stdin
  --sandbox             run with only the libraries safe for untrusted code
  --fuel N              stop with an error after about N instructions
  --memory-limit BYTES  limit the Lua heap to BYTES
";

/// Parses `argv` (including the program name at index 0).
pub fn parse(argv: &[String]) -> Result<Options, UsageError> {
    let mut options = Options::default();
    let mut i = 1;
    while i < argv.len() {
        let arg = &argv[i];
        if !arg.starts_with('-') {
            options.script = Some(i);
            return Ok(options);
        }
        match arg.as_str() {
            "-" => {
                options.script = Some(i);
                return Ok(options);
            }
            "--" => {
                if i + 1 < argv.len() {
                    options.script = Some(i + 1);
                }
                return Ok(options);
            }
            "-i" => {
                options.interactive = true;
                options.version = true;
            }
            "-v" => options.version = true,
            "-E" => options.ignore_environment = true,
            "-W" => options.warnings = true,
            "--sandbox" => options.sandbox = true,
            "--fuel" | "--memory-limit" => {
                let value = argv
                    .get(i + 1)
                    .ok_or_else(|| UsageError::NeedsArgument(arg.clone()))?;
                i += 1;
                if arg == "--fuel" {
                    options.fuel = Some(
                        value
                            .parse()
                            .map_err(|_| UsageError::BadNumber(arg.clone()))?,
                    );
                } else {
                    options.memory_limit = Some(
                        value
                            .parse()
                            .map_err(|_| UsageError::BadNumber(arg.clone()))?,
                    );
                }
            }
            _ if arg.starts_with("-e") || arg.starts_with("-l") => {
                let flag = &arg[..2];
                let value = if arg.len() > 2 {
                    arg[2..].to_string()
                } else {
                    i += 1;
                    match argv.get(i) {
                        Some(v) if !v.starts_with('-') || flag == "-e" => v.clone(),
                        _ => return Err(UsageError::NeedsArgument(flag.to_string())),
                    }
                };
                options.actions.push(if flag == "-e" {
                    Action::Execute(value)
                } else {
                    match value.split_once('=') {
                        Some((global, module)) => Action::Require {
                            global: global.to_string(),
                            module: module.to_string(),
                        },
                        None => Action::Require {
                            global: value.clone(),
                            module: value,
                        },
                    }
                });
            }
            _ => return Err(UsageError::Unrecognized(arg.clone())),
        }
        i += 1;
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(args: &[&str]) -> Vec<String> {
        std::iter::once("red-moon")
            .chain(args.iter().copied())
            .map(String::from)
            .collect()
    }

    #[test]
    fn parses_like_lua_c() {
        let o = parse(&argv(&["-e", "x=1", "-lmod", "-l", "g=m", "s.lua", "-e"])).unwrap();
        assert_eq!(
            o.actions,
            vec![
                Action::Execute("x=1".into()),
                Action::Require {
                    global: "mod".into(),
                    module: "mod".into()
                },
                Action::Require {
                    global: "g".into(),
                    module: "m".into()
                },
            ]
        );
        assert_eq!(o.script, Some(6));
        assert_eq!(
            parse(&argv(&["-x"])),
            Err(UsageError::Unrecognized("-x".into()))
        );
        assert_eq!(
            parse(&argv(&["-e"])),
            Err(UsageError::NeedsArgument("-e".into()))
        );
        assert_eq!(parse(&argv(&["--", "a"])).unwrap().script, Some(2));
        assert_eq!(parse(&argv(&["-"])).unwrap().script, Some(1));
    }
}
