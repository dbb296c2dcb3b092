//! `package.path`, `package.cpath` and `package.config`: the defaults of a PUC Lua 5.4
//! build installed under `/usr/local`, and how the environment variables `LUA_PATH_5_4`,
//! `LUA_PATH`, `LUA_CPATH_5_4` and `LUA_CPATH` override them (only where the host lets the
//! VM read its environment).

use super::search_path::TEMPLATE_SEPARATOR;

/// `package.config`: directory separator, template separator, name mark, executable
/// directory mark and ignore mark, one per line.
pub(crate) const CONFIG: &str = "/\n;\n?\n!\n-\n";

/// The default `package.path` of PUC Lua 5.4 built for `/usr/local`.
pub(crate) const DEFAULT_PATH: &str = "/usr/local/share/lua/5.4/?.lua;\
/usr/local/share/lua/5.4/?/init.lua;\
/usr/local/lib/lua/5.4/?.lua;\
/usr/local/lib/lua/5.4/?/init.lua;\
./?.lua;\
./?/init.lua";

/// The default `package.cpath` of PUC Lua 5.4 built for `/usr/local`.
pub(crate) const DEFAULT_CPATH: &str = "/usr/local/lib/lua/5.4/?.so;\
/usr/local/lib/lua/5.4/loadall.so;\
./?.so";

/// Which environment variables configure a path, and its default.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PathSetting {
    /// The field of the `package` table (`path` or `cpath`).
    pub field: &'static str,
    /// The variable read first (`LUA_PATH_5_4`).
    pub versioned_variable: &'static str,
    /// The variable read when the first is not set (`LUA_PATH`).
    pub variable: &'static str,
    pub default: &'static str,
}

pub(crate) const LUA_PATH: PathSetting = PathSetting {
    field: "path",
    versioned_variable: "LUA_PATH_5_4",
    variable: "LUA_PATH",
    default: DEFAULT_PATH,
};

pub(crate) const LUA_CPATH: PathSetting = PathSetting {
    field: "cpath",
    versioned_variable: "LUA_CPATH_5_4",
    variable: "LUA_CPATH",
    default: DEFAULT_CPATH,
};

impl PathSetting {
    /// The path to install: the default, or the environment's value with its first `;;`
    /// replaced by the default. `read_variable` is the host's environment (`None` when the
    /// VM may not read it).
    pub(crate) fn value(&self, read_variable: impl Fn(&str) -> Option<Vec<u8>>) -> Vec<u8> {
        let configured =
            read_variable(self.versioned_variable).or_else(|| read_variable(self.variable));
        match configured {
            Some(value) => insert_default(&value, self.default.as_bytes()),
            None => self.default.as_bytes().to_vec(),
        }
    }
}

/// Replaces the first `;;` of `value` by `;default;` (without a separator at an end where
/// nothing else remains), as PUC's `setpath` does.
pub(crate) fn insert_default(value: &[u8], default: &[u8]) -> Vec<u8> {
    let double = [TEMPLATE_SEPARATOR, TEMPLATE_SEPARATOR];
    let Some(mark) = value.windows(2).position(|pair| pair == double) else {
        return value.to_vec();
    };
    let (prefix, suffix) = (&value[..mark], &value[mark + 2..]);
    let mut merged = Vec::with_capacity(value.len() + default.len());
    if !prefix.is_empty() {
        merged.extend_from_slice(prefix);
        merged.push(TEMPLATE_SEPARATOR);
    }
    merged.extend_from_slice(default);
    if !suffix.is_empty() {
        merged.push(TEMPLATE_SEPARATOR);
        merged.extend_from_slice(suffix);
    }
    merged
}

/// The host process's environment variable `name` as bytes.
pub(crate) fn process_variable(name: &str) -> Option<Vec<u8>> {
    let value = std::env::var_os(name)?;
    #[cfg(unix)]
    {
        Some(std::os::unix::ffi::OsStringExt::into_vec(value))
    }
    #[cfg(not(unix))]
    {
        Some(value.to_string_lossy().into_owned().into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn merged(value: &str) -> String {
        String::from_utf8_lossy(&insert_default(value.as_bytes(), b"D")).into_owned()
    }

    #[test]
    fn double_separator_becomes_the_default() {
        assert_eq!(merged("a;;b"), "a;D;b");
        assert_eq!(merged(";;"), "D");
        assert_eq!(merged(";;b"), "D;b");
        assert_eq!(merged("a;;"), "a;D");
        assert_eq!(merged("a;;;b"), "a;D;;b");
        assert_eq!(merged("a;;b;;c"), "a;D;b;;c");
        assert_eq!(merged("a;b"), "a;b");
        assert_eq!(merged(""), "");
    }

    #[test]
    fn versioned_variable_wins() {
        let environment = |name: &str| match name {
            "LUA_PATH_5_4" => Some(b"v;;".to_vec()),
            "LUA_PATH" => Some(b"plain".to_vec()),
            _ => None,
        };
        let expected = format!("v;{DEFAULT_PATH}");
        assert_eq!(LUA_PATH.value(environment), expected.as_bytes());
        assert_eq!(LUA_CPATH.value(environment), DEFAULT_CPATH.as_bytes());
        let unversioned = |name: &str| (name == "LUA_CPATH").then(|| b"c".to_vec());
        assert_eq!(LUA_CPATH.value(unversioned), b"c");
        assert_eq!(LUA_PATH.value(|_| None), DEFAULT_PATH.as_bytes());
    }
}
