//! Pseudonymisation of exports: names become initials, birth dates become
//! ages (in `model.rs`), and the IPP a keyed pseudonym (HMAC-SHA-256 with a
//! key kept outside the database), so that a programme posted on a wall
//! identifies no one while the same patient keeps the same pseudonym from
//! one export to the next.

use std::path::{Path, PathBuf};

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::ExportError;
use crate::domain::text::sanitize_line;

/// Names the key file (running setgid: the configuration's
/// `pseudonym_key_file` instead).
pub const KEY_FILE_ENV: &str = "IR_COMMITTEE_PSEUDONYM_KEY_FILE";
/// The shortest key accepted.
pub const MIN_KEY_BYTES: usize = 16;

/// Makes the pseudonyms of one export.
#[derive(Clone)]
pub struct Pseudonymiser {
    mac: Hmac<Sha256>,
}

impl std::fmt::Debug for Pseudonymiser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pseudonymiser(…)")
    }
}

impl Pseudonymiser {
    /// From the key's bytes (at least [`MIN_KEY_BYTES`]).
    pub fn from_key(bytes: &[u8]) -> Option<Pseudonymiser> {
        if bytes.len() < MIN_KEY_BYTES {
            return None;
        }
        Some(Pseudonymiser {
            mac: Hmac::<Sha256>::new_from_slice(bytes).ok()?,
        })
    }

    /// The key named by the configuration (setgid) or [`KEY_FILE_ENV`].
    pub fn configured() -> Result<Pseudonymiser, ExportError> {
        let path = match crate::deploy::pseudonym_key_file() {
            Some(configured) => configured.map(Path::to_path_buf),
            None => std::env::var_os(KEY_FILE_ENV)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
        };
        let Some(path) = path else {
            return Err(ExportError::NoPseudonymKey);
        };
        Self::from_file(&path)
    }

    /// What a read seen as `sight` needs: None for identified; the
    /// configured key for pseudonymised, or a refusal saying how to
    /// install one (a viewer's reads are refused without it).
    pub fn for_sight(
        sight: crate::domain::roles::Sight,
        role: Option<crate::domain::roles::Role>,
    ) -> Result<Option<Pseudonymiser>, ExportError> {
        match sight {
            crate::domain::roles::Sight::Identified => Ok(None),
            crate::domain::roles::Sight::Pseudonymised => match Self::configured() {
                Ok(p) => Ok(Some(p)),
                Err(ExportError::NoPseudonymKey) => Err(ExportError::ReaderNeedsKey {
                    role: role.map_or_else(|| "this login".to_owned(), |r| r.to_string()),
                }),
                Err(e) => Err(e),
            },
        }
    }

    /// Reads a key file: its bytes, trailing whitespace removed.
    pub fn from_file(path: &Path) -> Result<Pseudonymiser, ExportError> {
        let fail = |reason: &str| ExportError::PseudonymKey {
            path: sanitize_line(&path.display().to_string()),
            reason: reason.to_owned(),
        };
        let bytes = std::fs::read(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => fail("no such file"),
            std::io::ErrorKind::PermissionDenied => fail("permission denied"),
            _ => fail(&sanitize_line(&e.to_string())),
        })?;
        let end = bytes
            .iter()
            .rposition(|b| !b.is_ascii_whitespace())
            .map_or(0, |i| i + 1);
        Self::from_key(&bytes[..end]).ok_or_else(|| {
            fail("it holds fewer than 16 bytes (make one with `openssl rand -hex 32`)")
        })
    }

    /// The IPP's pseudonym: `P-` and 12 hex digits of its HMAC.
    pub fn ipp(&self, ipp: &str) -> String {
        let mut m = self.mac.clone();
        m.update(b"ir-committee/ipp@1\0");
        m.update(ipp.as_bytes());
        let digest = m.finalize().into_bytes();
        let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
        format!("P-{hex}")
    }
}

impl Pseudonymiser {
    /// The scheduling system's case id's pseudonym: `C-` and 12 hex digits
    /// (that id leads back to the patient as surely as the IPP).
    pub fn case(&self, external_id: &str) -> String {
        let mut m = self.mac.clone();
        m.update(b"ir-committee/case@1\0");
        m.update(external_id.as_bytes());
        let digest = m.finalize().into_bytes();
        let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
        format!("C-{hex}")
    }
}

/// "B. H." for BÉRANGER Hélène: the first letter of each name.
pub fn initials(last: &str, first: &str) -> String {
    let initial = |s: &str| {
        s.chars()
            .find(|c| c.is_alphabetic())
            .map(|c| format!("{}.", c.to_uppercase()))
    };
    [initial(last), initial(first)]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_of_composed_and_accented_names() {
        assert_eq!(initials("BÉRANGER", "Hélène"), "B. H.");
        assert_eq!(initials("d'Arcy", "Élodie"), "D. É.");
        assert_eq!(initials("", "Zoé"), "Z.");
    }

    #[test]
    fn the_same_ipp_gets_the_same_pseudonym_and_another_key_another() {
        let a = Pseudonymiser::from_key(b"0123456789abcdef0123").expect("key");
        let b = Pseudonymiser::from_key(b"another key, long enough").expect("key");
        assert_eq!(a.ipp("80012345"), a.ipp("80012345"));
        assert_ne!(a.ipp("80012345"), a.ipp("80012346"));
        assert_ne!(a.ipp("80012345"), b.ipp("80012345"));
        assert!(!a.ipp("80012345").contains("80012345"));
        assert_eq!(a.ipp("80012345").len(), 14);
        assert!(Pseudonymiser::from_key(b"short").is_none());
    }
}
