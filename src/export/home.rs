//! `~` in a path typed for an export (the screen's file name, `--output`)
//! means the home folder, as in a shell: `~` alone and `~/…` only (not
//! `~user`, not a `~` further in). The home folder is read once at start
//! (`$HOME`, in `cli`) and passed in: nothing here reads the environment.

use std::path::{Path, PathBuf};

/// `path` with a leading `~` replaced by `home`; unchanged without a home
/// (an unset or empty `$HOME`) or without a leading `~`.
pub fn expand_home(path: &Path, home: Option<&Path>) -> PathBuf {
    let Some(home) = home.filter(|h| !h.as_os_str().is_empty()) else {
        return path.to_path_buf();
    };
    match path.strip_prefix("~") {
        Ok(rest) if rest.as_os_str().is_empty() => home.to_path_buf(),
        Ok(rest) => home.join(rest),
        Err(_) => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leading_tilde_is_the_home_folder_and_nothing_else_is() {
        let home = Some(Path::new("/home/dr-martin"));
        for (typed, want) in [
            ("~", "/home/dr-martin"),
            ("~/", "/home/dr-martin"),
            ("~/programme.html", "/home/dr-martin/programme.html"),
            ("~/comité/s49.md", "/home/dr-martin/comité/s49.md"),
            ("~dr-benali/p.html", "~dr-benali/p.html"),
            ("a/~/p.html", "a/~/p.html"),
            ("./~", "./~"),
            ("/tmp/p.html", "/tmp/p.html"),
            ("p.html", "p.html"),
            ("-", "-"),
        ] {
            assert_eq!(
                expand_home(Path::new(typed), home),
                PathBuf::from(want),
                "{typed}"
            );
        }
        // No home known: the path as typed.
        for home in [None, Some(Path::new(""))] {
            assert_eq!(
                expand_home(Path::new("~/p.html"), home),
                PathBuf::from("~/p.html")
            );
        }
    }
}
