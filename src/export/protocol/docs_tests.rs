//! The project documents itself (issue 17, point 4): `docs/clinical-rules.md`
//! (English) and `docs/clinical-rules.fr.md` (French) are what `rules
//! document --format md` writes for a new file (the seeded rules, version
//! 1, never approved, time zone Europe/Paris). This test fails when they
//! differ from what the command writes now; `scripts/gen-docs` (or
//! `UPDATE_DOCS=1 cargo test --lib export::protocol::docs_tests`) writes
//! them again.

use std::path::{Path, PathBuf};

use super::{DocFormat, document};
use crate::domain::clock::Clock;
use crate::storage::{Db, Init};
use crate::text::Lang;

/// The documents and their language.
const DOCS: [(&str, Lang); 2] = [
    ("docs/clinical-rules.md", Lang::En),
    ("docs/clinical-rules.fr.md", Lang::Fr),
];

/// A new file, as `init --timezone Europe/Paris` makes it.
fn new_file() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let init = Init {
        timezone: chrono_tz::Europe::Paris,
        demo: false,
        admin: None,
        name: None,
    };
    let db =
        Db::create(&dir.path().join("committee.sqlite"), Clock::System, &init).expect("a new file");
    (dir, db)
}

fn path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

#[test]
fn the_committed_clinical_rules_are_what_the_command_writes() {
    let (_dir, db) = new_file();
    let update = std::env::var_os("UPDATE_DOCS").is_some_and(|v| v == "1");
    for (name, lang) in DOCS {
        let now = document(&db, DocFormat::Md, lang).expect("document");
        if update {
            std::fs::write(path(name), &now).expect("write the document");
            continue;
        }
        let committed = std::fs::read_to_string(path(name)).unwrap_or_default();
        assert!(
            committed == now,
            "{name} differs from what `ir-committee rules document --format md` writes for \
             a new file now: run scripts/gen-docs (UPDATE_DOCS=1 cargo test --lib \
             export::protocol::docs_tests), review the diff and commit it"
        );
    }
}

#[test]
fn the_documents_do_not_hold_the_day_they_were_made() {
    let (_dir, db) = new_file();
    let today = chrono::Local::now().date_naive();
    for (_, lang) in DOCS {
        let doc = document(&db, DocFormat::Md, lang).expect("document");
        for shown in [Lang::Fr, Lang::En] {
            let day = crate::text::typo::date(shown, today);
            assert!(!doc.contains(&day), "{day} in the {lang:?} document");
        }
        assert!(doc.contains("Europe/Paris"));
    }
}
