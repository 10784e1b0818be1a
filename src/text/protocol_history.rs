//! `rules history` in words (issue 17): one line per change of the rules
//! table and per approval, in time order. The row, its values and its risk
//! in the rules table's words (`text::screen::rules_table`), never the
//! storage key; what the trail holds and cannot be read is shown as it is.

use chrono_tz::Tz;

use crate::domain::protocol::{Approval, Change, RowKey};
use crate::domain::rules::Unit;
use crate::domain::text::sanitize_line;
use crate::domain::vocab::BleedingRisk;
use crate::text::Lang;
use crate::text::screen::rules_table;
use crate::text::typo::{self, Medium};

/// The row a change is about, in words: `rule · subject · risk` (a key
/// without a risk: a technique's bleeding risk row); a risk the table does
/// not know is shown as it is.
pub fn row(lang: Lang, key: &RowKey) -> String {
    let risk = key.risk.as_deref().filter(|r| *r != "*");
    let known = risk.map(BleedingRisk::parse);
    let rule = sanitize_line(&key.rule);
    let subject = sanitize_line(&key.subject);
    match (risk, known) {
        (Some(raw), Some(None)) => format!(
            "{} · {}",
            rules_table::named(lang, &rule, &subject, None),
            sanitize_line(raw)
        ),
        (_, known) => rules_table::named(lang, &rule, &subject, known.flatten()),
    }
}

/// One change: "v13 · 03/11/2026 14:00 · Dr Martin · INR : maximum ·
/// tous · élevé : 1,5 (bloquant) → 1,6 (bloquant) · approuvé (v13)".
/// `unit`: the row's unit in the table today, if the rule is known.
pub fn change(lang: Lang, c: &Change, u: Option<Unit>, tz: Tz) -> String {
    let on = crate::text::protocol::moment(lang, c.at, tz);
    // The trail's login: a name changed since would credit the wrong
    // person with the change.
    let who = sanitize_line(&c.login);
    let what = match &c.row {
        Some(key) => typo::label(lang, &row(lang, key)),
        None => String::new(),
    };
    let old = crate::text::protocol::side(lang, &c.old, u);
    let new = crate::text::protocol::side(lang, &c.new, u);
    let approved = match (lang, c.approved_in) {
        (Lang::Fr, Some(v)) => format!("approuvé (v{v})"),
        (Lang::En, Some(v)) => format!("approved (v{v})"),
        (Lang::Fr, None) => "non approuvé".to_owned(),
        (Lang::En, None) => "not approved".to_owned(),
    };
    let s = format!(
        "v{} · {on} · {who} · {what}{old} → {new} · {approved}",
        c.version
    );
    typo::finish(lang, Medium::Screen, &s)
}

/// The meeting an approval was given at: "réunion 2026-W45, 5 présents",
/// or that none was recorded that day.
pub fn meeting(lang: Lang, a: &Approval) -> String {
    let n = a.attendance.len();
    // The meeting's own day: it may be before the approval's.
    let held = a
        .meeting_on
        .map(|d| format!(" {} {}", lang.pick("of", "du"), typo::date(lang, d)))
        .unwrap_or_default();
    match (&a.week, lang) {
        (Some(week), Lang::Fr) => format!(
            "réunion {}{held}, {n} {}",
            sanitize_line(week),
            typo::plural(lang, n as u64, "présent", "présents")
        ),
        (Some(week), Lang::En) => format!("meeting {}{held}, {n} present", sanitize_line(week)),
        (None, Lang::Fr) => "aucune réunion enregistrée ce jour-là".to_owned(),
        (None, Lang::En) => "no meeting recorded that day".to_owned(),
    }
}

/// One approval: "v12 · 04/11/2026 10:00 · v12 approuvé par Dr Martin :
/// relu en réunion (réunion 2026-W45, 5 présents)".
pub fn approval(lang: Lang, a: &Approval, tz: Tz) -> String {
    let on = crate::text::protocol::moment(lang, a.at, tz);
    let v = a.version;
    // The name as it was then, and the trail's login (as a change shows).
    let by = format!("{} ({})", sanitize_line(&a.name), sanitize_line(&a.login));
    let note = sanitize_line(&a.note);
    let meeting = meeting(lang, a);
    let fp = &a.digest;
    let s = match lang {
        Lang::Fr => format!(
            "v{v} · {on} · v{v} approuvé par {by}\u{a0}: {note} ({meeting}) · empreinte {fp}"
        ),
        Lang::En => {
            format!("v{v} · {on} · v{v} approved by {by}: {note} ({meeting}) · fingerprint {fp}")
        }
    };
    typo::finish(lang, Medium::Screen, &s)
}

/// When the history holds nothing (on or after the day asked).
pub fn empty(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "aucune modification des règles ni approbation",
        Lang::En => "no change of the rules and no approval",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::protocol::Side;
    use crate::domain::rules::Severity;
    use chrono::{DateTime, Utc};

    fn at() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-03T13:00:00Z")
            .expect("time")
            .with_timezone(&Utc)
    }

    #[test]
    fn a_change_reads_in_words_in_the_hospitals_zone() {
        let paris = chrono_tz::Europe::Paris;
        let (row, old, new) = Change::sides(
            false,
            "coagulation.inr_max/*/high = 1.5 (blocking)",
            "coagulation.inr_max/*/high = 1.6 (advisory)",
        );
        let mut c = Change {
            version: 13,
            at: at(),
            login: "hm".into(),
            name: Some("Dr Martin".into()),
            row,
            old,
            new,
            approved_in: None,
        };
        assert_eq!(
            change(Lang::Fr, &c, Some(Unit::Ratio), paris),
            "v13 · 03/11/2026 14:00 · hm · INR\u{a0}: maximum · tous · élevé\u{a0}: \
             1,5 (bloquant) → 1,6 (à signaler) · non approuvé"
        );
        c.approved_in = Some(14);
        c.name = None;
        assert_eq!(
            change(Lang::En, &c, Some(Unit::Ratio), paris),
            "v13 · 2026-11-03 14:00 · hm · INR: maximum · all · high: \
             1.5 (blocking) → 1.6 (advisory) · approved (v14)"
        );
        let (row, old, new) = Change::sides(
            true,
            "technique.bleeding_risk/neurolysis = high",
            "technique.bleeding_risk/neurolysis = low",
        );
        let c = Change { row, old, new, ..c };
        let line = change(Lang::Fr, &c, None, paris);
        assert!(line.contains("risque hémorragique · "), "{line}");
        assert!(line.contains("élevé → faible"), "{line}");
        let (row, old, new) = Change::sides(false, "garbled\u{1b}[31m", "x = y");
        let c = Change { row, old, new, ..c };
        let line = change(Lang::En, &c, None, paris);
        assert!(line.contains("hm · garbled[31m → x = y"), "{line}");
    }

    #[test]
    fn values_carry_their_unit_but_a_flag_or_a_ratio() {
        let v = |value| Side::Value {
            value,
            severity: Severity::Blocking,
        };
        let table = [
            (
                v(Some(30.0)),
                Some(Unit::Days),
                Lang::Fr,
                "30 jours (bloquant)",
            ),
            (
                v(Some(2.0)),
                Some(Unit::DayNoon),
                Lang::En,
                "J−2 before noon (blocking)",
            ),
            (
                v(Some(24.0)),
                Some(Unit::Hours),
                Lang::Fr,
                "24 heures (bloquant)",
            ),
            (
                v(Some(1.0)),
                Some(Unit::Days),
                Lang::Fr,
                "1 jour (bloquant)",
            ),
            (v(Some(1.0)), Some(Unit::Days), Lang::En, "1 day (blocking)"),
            (
                v(Some(1.0)),
                Some(Unit::People),
                Lang::En,
                "1 person (blocking)",
            ),
            (v(Some(5.0)), Some(Unit::Flag), Lang::En, "5 (blocking)"),
            (v(None), Some(Unit::Flag), Lang::Fr, "aucune (bloquant)"),
            (v(Some(1.5)), None, Lang::Fr, "1,5 (bloquant)"),
            (v(Some(50.0)), Some(Unit::GL), Lang::En, "50 G/L (blocking)"),
        ];
        for (s, u, lang, want) in table {
            assert_eq!(crate::text::protocol::side(lang, &s, u), want);
        }
    }

    #[test]
    fn an_approval_names_its_meeting() {
        let paris = chrono_tz::Europe::Paris;
        let mut a = Approval {
            version: 2,
            digest: "d".into(),
            at: at(),
            login: "hm".into(),
            name: "Dr Martin".into(),
            note: "relu ; ok".into(),
            week: Some("2026-W45".into()),
            meeting_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 2),
            attendance: vec![
                crate::domain::protocol::Present {
                    name: "A".into(),
                    role: None,
                };
                5
            ],
        };
        assert_eq!(
            approval(Lang::Fr, &a, paris),
            "v2 · 03/11/2026 14:00 · v2 approuvé par Dr Martin (hm)\u{a0}: relu\u{a0}; ok \
             (réunion 2026-W45 du 02/11/2026, 5 présents) · empreinte d"
        );
        a.week = None;
        assert_eq!(
            approval(Lang::En, &a, paris),
            "v2 · 2026-11-03 14:00 · v2 approved by Dr Martin (hm): relu ; ok \
             (no meeting recorded that day) · fingerprint d"
        );
    }
}
