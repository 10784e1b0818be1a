//! Drafts: what someone was typing (a note, a reason, a justification) when
//! the session ended, typically an SSH link dropping. One draft per login,
//! case and kind of text; offered back the next time that person opens the
//! same dialog. Saving and deleting are audited (`draft.save`,
//! `draft.delete`).

use rusqlite::{OptionalExtension, Row, params};
use serde::Serialize;
use serde_json::json;

use super::cases::corrupt;
use super::{Db, Result, StorageError, Writer, audit};
use crate::domain::record::EvidenceKind;
use crate::domain::text::sanitize;

/// The dialog a draft belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DraftKind {
    /// A note on the case.
    Note,
    /// The reason of a postponement (`extra`: the target week).
    Postpone,
    /// The reason of a cancellation.
    Cancel,
    /// The justification of a validation despite a blocking item.
    Override,
    /// A dossier form (`body`: the form as typed and the form and version
    /// it started from, as JSON).
    Form(EvidenceKind),
}

impl DraftKind {
    pub const ALL: [DraftKind; 11] = [
        DraftKind::Note,
        DraftKind::Postpone,
        DraftKind::Cancel,
        DraftKind::Override,
        DraftKind::Form(EvidenceKind::Consultation),
        DraftKind::Form(EvidenceKind::AnaesthesiaConsult),
        DraftKind::Form(EvidenceKind::Imaging),
        DraftKind::Form(EvidenceKind::Biology),
        DraftKind::Form(EvidenceKind::Coagulation),
        DraftKind::Form(EvidenceKind::Medications),
        DraftKind::Form(EvidenceKind::Scores),
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DraftKind::Note => "note",
            DraftKind::Postpone => "postpone",
            DraftKind::Cancel => "cancel",
            DraftKind::Override => "override",
            DraftKind::Form(EvidenceKind::Consultation) => "form.consultation",
            DraftKind::Form(EvidenceKind::AnaesthesiaConsult) => "form.anaesthesia_consult",
            DraftKind::Form(EvidenceKind::Imaging) => "form.imaging",
            DraftKind::Form(EvidenceKind::Biology) => "form.biology",
            DraftKind::Form(EvidenceKind::Coagulation) => "form.coagulation",
            DraftKind::Form(EvidenceKind::Medications) => "form.medications",
            DraftKind::Form(EvidenceKind::Scores) => "form.scores",
        }
    }

    pub fn parse(s: &str) -> Option<DraftKind> {
        DraftKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A saved draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Draft {
    pub login: String,
    pub case_id: i64,
    pub kind: DraftKind,
    /// The text as typed (sanitised: no control characters).
    pub body: String,
    /// What else the dialog held, e.g. the target week of a postponement.
    pub extra: Option<String>,
    /// UTC, RFC 3339.
    pub updated_at: String,
}

/// Saves (or replaces) the writer's draft of `kind` for `case_id`. The text
/// is sanitised as any text entering the file; saving the same text again
/// writes nothing. Returns whether something was written.
pub fn save(
    w: &Writer<'_>,
    case_id: i64,
    kind: DraftKind,
    body: &str,
    extra: Option<&str>,
) -> Result<bool> {
    w.require(
        crate::domain::roles::Permission::Notes,
        "draft.save",
        Some(case_id),
    )?;
    let body = sanitize(body);
    let extra = extra.map(sanitize);
    let exists: bool = w.tx().query_row(
        "SELECT EXISTS (SELECT 1 FROM cases WHERE id = ?1)",
        [case_id],
        |r| r.get(0),
    )?;
    if !exists {
        return Err(StorageError::NoCase(case_id.to_string()));
    }
    let old = find(w.tx(), w.login(), case_id, kind)?;
    if old
        .as_ref()
        .is_some_and(|d| d.body == body && d.extra == extra)
    {
        return Ok(false);
    }
    w.tx().execute(
        "INSERT INTO drafts (login, case_id, kind, body, extra, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (login, case_id, kind) DO UPDATE SET body = excluded.body,
           extra = excluded.extra, updated_at = excluded.updated_at",
        params![
            w.login(),
            case_id,
            kind.as_str(),
            body,
            extra,
            w.clock().timestamp()
        ],
    )?;
    let new = json!({"kind": kind.as_str(), "body": body, "extra": extra}).to_string();
    let old =
        old.map(|d| json!({"kind": kind.as_str(), "body": d.body, "extra": d.extra}).to_string());
    audit::record(w, "draft.save", Some(case_id), old.as_deref(), Some(&new))?;
    Ok(true)
}

/// The draft `login` left for `case_id` and `kind`, if any.
pub fn get(db: &Db, login: &str, case_id: i64, kind: DraftKind) -> Result<Option<Draft>> {
    find(db.conn(), login, case_id, kind)
}

/// The writer's draft for `case_id` and `kind`, removed from the file (in
/// the writer's transaction, audited): what a dialog does when it offers
/// the text back.
pub fn take(w: &Writer<'_>, case_id: i64, kind: DraftKind) -> Result<Option<Draft>> {
    let draft = find(w.tx(), w.login(), case_id, kind)?;
    if draft.is_some() {
        delete(w, case_id, kind)?;
    }
    Ok(draft)
}

/// Deletes the writer's draft for `case_id` and `kind` (after the text was
/// submitted or discarded). Returns whether there was one.
pub fn delete(w: &Writer<'_>, case_id: i64, kind: DraftKind) -> Result<bool> {
    let Some(old) = find(w.tx(), w.login(), case_id, kind)? else {
        return Ok(false);
    };
    w.require(
        crate::domain::roles::Permission::Notes,
        "draft.delete",
        Some(case_id),
    )?;
    w.tx().execute(
        "DELETE FROM drafts WHERE login = ?1 AND case_id = ?2 AND kind = ?3",
        params![w.login(), case_id, kind.as_str()],
    )?;
    let old = json!({"kind": kind.as_str(), "body": old.body, "extra": old.extra}).to_string();
    audit::record(w, "draft.delete", Some(case_id), Some(&old), None)?;
    Ok(true)
}

/// Every draft `login` left, oldest first.
pub fn list(db: &Db, login: &str) -> Result<Vec<Draft>> {
    let mut stmt = db.conn().prepare_cached(
        "SELECT login, case_id, kind, body, extra, updated_at FROM drafts
         WHERE login = ?1 ORDER BY updated_at, case_id, kind",
    )?;
    stmt.query_map([login], |r| Ok(from_row(r)))?
        .map(|r| r.map_err(StorageError::from).and_then(|d| d))
        .collect()
}

fn find(
    conn: &rusqlite::Connection,
    login: &str,
    case_id: i64,
    kind: DraftKind,
) -> Result<Option<Draft>> {
    conn.prepare_cached(
        "SELECT login, case_id, kind, body, extra, updated_at FROM drafts
         WHERE login = ?1 AND case_id = ?2 AND kind = ?3",
    )?
    .query_row(params![login, case_id, kind.as_str()], |r| Ok(from_row(r)))
    .optional()?
    .transpose()
}

fn from_row(r: &Row<'_>) -> Result<Draft> {
    let kind: String = r.get(2)?;
    Ok(Draft {
        login: r.get(0)?,
        case_id: r.get(1)?,
        kind: DraftKind::parse(&kind).ok_or_else(|| corrupt("draft kind", &kind))?,
        body: r.get(3)?,
        extra: r.get(4)?,
        updated_at: r.get(5)?,
    })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::domain::clock::Clock;
    use crate::domain::week::Week;
    use crate::storage::read;

    fn db() -> (Db, i64) {
        let clock = Clock::Fixed(NaiveDate::from_ymd_opt(2026, 11, 26).expect("date"));
        let mut db = Db::open_in_memory(clock).expect("db");
        let week: Week = "2026-W49".parse().expect("week");
        let cases = crate::demo::fixture_cases(week).expect("fixture");
        crate::import::save_all(&mut db, &cases, "test", crate::import::Absent::Clears)
            .expect("save");
        let id = read::by_external_id(&db, &cases[0].external_id)
            .expect("case")
            .id;
        (db, id)
    }

    fn actions(db: &Db, id: i64) -> Vec<String> {
        audit::list(db, Some(id))
            .expect("audit")
            .into_iter()
            .map(|r| r.action)
            .filter(|a| a.starts_with("draft."))
            .collect()
    }

    #[test]
    fn a_draft_is_kept_per_login_case_and_kind_and_audited() {
        let (mut db, id) = db();
        let login = db.login().to_owned();
        assert_eq!(
            get(&db, &login, id, DraftKind::Postpone).expect("get"),
            None
        );
        db.write(|w| {
            save(
                w,
                id,
                DraftKind::Postpone,
                "attente IRM\u{1b}[2J",
                Some("2026-W50"),
            )
        })
        .expect("save");
        // The same text again writes nothing.
        assert!(
            !db.write(|w| save(
                w,
                id,
                DraftKind::Postpone,
                "attente IRM\u{1b}[2J",
                Some("2026-W50")
            ))
            .expect("save")
        );
        db.write(|w| save(w, id, DraftKind::Note, "ligne 1\nligne 2", None))
            .expect("save");
        let d = get(&db, &login, id, DraftKind::Postpone)
            .expect("get")
            .expect("draft");
        assert_eq!(d.body, "attente IRM[2J");
        assert_eq!(d.extra.as_deref(), Some("2026-W50"));
        assert_eq!(list(&db, &login).expect("list").len(), 2);
        assert!(list(&db, "someone-else").expect("list").is_empty());
        assert!(
            get(&db, "someone-else", id, DraftKind::Note)
                .expect("get")
                .is_none()
        );

        let taken = db
            .write(|w| take(w, id, DraftKind::Note))
            .expect("take")
            .expect("draft");
        assert_eq!(taken.body, "ligne 1\nligne 2");
        assert!(
            get(&db, &login, id, DraftKind::Note)
                .expect("get")
                .is_none()
        );
        assert!(
            db.write(|w| delete(w, id, DraftKind::Postpone))
                .expect("delete")
        );
        assert!(
            !db.write(|w| delete(w, id, DraftKind::Postpone))
                .expect("delete")
        );
        assert_eq!(
            actions(&db, id),
            ["draft.save", "draft.save", "draft.delete", "draft.delete"]
        );
    }

    #[test]
    fn a_draft_for_an_unknown_case_is_refused() {
        let (mut db, _) = db();
        assert!(matches!(
            db.write(|w| save(w, 999_999, DraftKind::Note, "x", None)),
            Err(StorageError::NoCase(_))
        ));
    }
}
