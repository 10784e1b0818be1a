//! The validated programme as CSV, for a spreadsheet: UTF-8 with a byte
//! order mark (so that Excel reads the accents), `;` between cells (what
//! Excel expects in a French locale), CRLF line ends, every cell quoted
//! (RFC 4180). One header row, then one row per validated procedure; the
//! cases set apart are never in it.
//!
//! CSV injection (OWASP): a cell that starts with `=`, `+`, `-`, `@`, a tab
//! or a carriage return would be read by a spreadsheet as a formula; such a
//! cell gets a leading apostrophe, which makes it text. Quoting every cell
//! keeps a cell whole even when the file is opened with `,` as separator.
//!
//! Columns are only ever appended: a reader that finds cells by position
//! keeps working. The notes keep their line breaks (`\n` inside the quoted
//! cell); the last three columns say what the committee knew: validated by
//! override (and why), or validated but blocking now.

use super::Programme;
use super::model::Entry;
use crate::text::export::labels;

/// The number of columns.
const COLUMNS: usize = 18;

/// The header row, in the export's language.
fn header(lang: crate::domain::message::Lang) -> [&'static str; COLUMNS] {
    let l = labels(lang);
    [
        l.date,
        l.time,
        l.end,
        l.room,
        l.patient,
        l.age,
        l.sex,
        l.birth_date,
        l.ipp,
        l.technique,
        l.target,
        l.anaesthesia,
        l.operator,
        l.notes,
        l.col_override,
        l.justification,
        l.col_now_blocking,
        l.col_ward,
    ]
}

/// Writes the validated programme of `p`.
pub fn render(p: &Programme) -> String {
    let header = header(p.lang).map(str::to_owned);
    let rows =
        std::iter::once(header).chain(p.validated.iter().map(|e| row(e, p.pseudonymised, p.lang)));
    sheet(rows)
}

/// Rows (the header first, all of the same width) as this module writes a
/// CSV: BOM, `;`, CRLF, every cell quoted, formula cells neutralised. The
/// chase list (`tasks --format csv`) writes its rows with it too.
pub fn sheet<R: AsRef<[String]>>(rows: impl Iterator<Item = R>) -> String {
    // Writing to memory cannot fail, and every record has the same number
    // of cells (the csv crate's only other error).
    let bytes = write(rows).expect("a CSV written to memory with fixed-width rows cannot fail");
    let mut out = String::with_capacity(bytes.len() + 3);
    out.push('\u{feff}');
    out.push_str(&String::from_utf8_lossy(&bytes));
    out
}

fn write<R: AsRef<[String]>>(rows: impl Iterator<Item = R>) -> csv::Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Always)
        .from_writer(Vec::new());
    for r in rows {
        w.write_record(r.as_ref().iter().map(|c| neutralise(c).into_owned()))?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// The cells of one procedure, as they read (before neutralisation).
fn row(e: &Entry, pseudonymised: bool, lang: crate::domain::message::Lang) -> [String; COLUMNS] {
    let birth_date = match e.patient.birth_date {
        Some(d) if !pseudonymised => d.format("%Y-%m-%d").to_string(),
        _ => String::new(),
    };
    [
        e.start.format("%Y-%m-%d").to_string(),
        e.start.format("%H:%M").to_string(),
        e.end.format("%H:%M").to_string(),
        e.room.clone(),
        e.patient.name.clone(),
        e.patient.age.to_string(),
        e.patient.sex.clone(),
        birth_date,
        e.patient.ipp.clone(),
        e.technique.clone(),
        e.target.clone(),
        e.anaesthesia.clone(),
        e.operator.clone(),
        e.notes.join("\n"),
        crate::text::export::override_head(lang, e).unwrap_or_default(),
        e.override_justification
            .clone()
            .filter(|_| e.overridden)
            .unwrap_or_default(),
        crate::text::export::items(lang, &e.now_blocking),
        crate::text::export::ward_lines(lang, &e.ward).join("\n"),
    ]
}

/// A cell a spreadsheet would take for a formula, made text by a leading
/// apostrophe; any other cell unchanged.
fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::message::Lang;
    use crate::domain::vocab::DecisionStatus;
    use crate::export::testkit::programme;

    fn parse(out: &str) -> Vec<Vec<String>> {
        let body = out.strip_prefix('\u{feff}').expect("a BOM first");
        let mut r = csv::ReaderBuilder::new()
            .delimiter(b';')
            .has_headers(false)
            .from_reader(body.as_bytes());
        r.records()
            .map(|rec| rec.expect("a record").iter().map(str::to_owned).collect())
            .collect()
    }

    /// What each cell should read, built from the programme field by field
    /// (not through `row`).
    fn expected(p: &Programme) -> Vec<Vec<String>> {
        let mut out = vec![
            header(p.lang)
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>(),
        ];
        let l = labels(p.lang);
        for e in &p.validated {
            let born = if p.pseudonymised {
                String::new()
            } else {
                e.patient
                    .birth_date
                    .map(|d| d.to_string())
                    .unwrap_or_default()
            };
            let item = |i: &crate::domain::rules::Item| crate::text::words::item(p.lang, *i);
            let over = match (e.overridden, e.blocking.is_empty(), p.lang) {
                (false, _, _) => String::new(),
                (true, true, _) => l.by_override.to_owned(),
                (true, false, Lang::En) => format!(
                    "{} (blocking: {})",
                    l.by_override,
                    e.blocking.iter().map(item).collect::<Vec<_>>().join(", ")
                ),
                (true, false, Lang::Fr) => format!(
                    "{} (bloquant : {})",
                    l.by_override,
                    e.blocking.iter().map(item).collect::<Vec<_>>().join(", ")
                ),
            };
            let justification = if e.overridden && !p.pseudonymised {
                e.override_justification.clone().expect("a justification")
            } else {
                String::new()
            };
            out.push(vec![
                e.start.date().to_string(),
                format!(
                    "{:02}:{:02}",
                    chrono::Timelike::hour(&e.start),
                    chrono::Timelike::minute(&e.start)
                ),
                format!(
                    "{:02}:{:02}",
                    chrono::Timelike::hour(&e.end),
                    chrono::Timelike::minute(&e.end)
                ),
                e.room.clone(),
                e.patient.name.clone(),
                format!("{}", e.patient.age),
                e.patient.sex.clone(),
                born,
                e.patient.ipp.clone(),
                e.technique.clone(),
                e.target.clone(),
                e.anaesthesia.clone(),
                e.operator.clone(),
                e.notes.join("\n"),
                over,
                justification,
                e.now_blocking
                    .iter()
                    .map(item)
                    .collect::<Vec<_>>()
                    .join(", "),
                crate::text::export::ward_lines(p.lang, &e.ward).join("\n"),
            ]);
        }
        out
    }

    fn dangerous(cell: &str) -> bool {
        matches!(
            cell.chars().next(),
            Some('=' | '+' | '-' | '@' | '\t' | '\r')
        )
    }

    #[test]
    fn csv_round_trips_every_cell() {
        for (lang, pseudo) in [(Lang::En, false), (Lang::Fr, false), (Lang::Fr, true)] {
            let p = programme(lang, pseudo, false);
            let out = render(&p);
            let got = parse(&out);
            let want = expected(&p);
            assert_eq!(got.len(), p.validated.len() + 1);
            assert_eq!(want.len(), got.len());
            let mut neutralised = 0;
            for (g, w) in got.iter().zip(&want) {
                assert_eq!(g.len(), 18);
                for (gc, wc) in g.iter().zip(w) {
                    if dangerous(wc) {
                        neutralised += 1;
                        assert_eq!(gc, &format!("'{wc}"));
                    } else {
                        assert_eq!(gc, wc);
                    }
                }
            }
            // The =HYPERLINK name (initials when pseudonymised).
            assert_eq!(neutralised, usize::from(!pseudo));
        }
    }

    #[test]
    fn csv_neutralises_formulas_and_keeps_awkward_text() {
        let p = programme(Lang::En, false, false);
        let rows = parse(&render(&p));
        let names: Vec<&str> = rows.iter().map(|r| r[4].as_str()).collect();
        assert!(
            names
                .iter()
                .any(|n| n.starts_with("'=HYPERLINK(\"HTTP://X\")")),
            "{names:?}"
        );
        assert!(rows.iter().skip(1).all(|r| !dangerous(&r[4])));
        assert!(rows.iter().any(|r| r[3] == "Salle 1; \"B\""));
        let notes = rows
            .iter()
            .find(|r| r[13].contains("<i>before</i>"))
            .expect("note");
        assert!(notes[13].starts_with("Call Mrs X"));
    }

    #[test]
    fn csv_has_bom_crlf_and_no_birth_date_when_pseudonymised() {
        let out = render(&programme(Lang::Fr, true, false));
        assert!(out.starts_with("\u{feff}\"Date\";\"Heure\";"));
        assert!(out.ends_with("\r\n"));
        let rows = parse(&out);
        // Every record ends with CRLF (the ward instructions' cell holds
        // bare line breaks inside its quotes).
        assert_eq!(out.matches("\r\n").count(), rows.len());
        assert_eq!(rows[0][7], "Né(e) le");
        assert!(
            rows.iter()
                .skip(1)
                .all(|r| r[7].is_empty() && r[13].is_empty())
        );
    }

    #[test]
    fn csv_neutralise_covers_owasp_leaders() {
        for c in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise(c), format!("'{c}"));
        }
        for c in ["", "a=1", "Salle 1", "'quoted"] {
            assert_eq!(neutralise(c), c);
        }
    }

    /// The columns of the first version of this file, in order: a reader
    /// that finds them by position or by heading keeps working.
    const OLD_EN: [&str; 14] = [
        "Date",
        "Time",
        "End",
        "Room",
        "Patient",
        "Age",
        "Sex",
        "Born",
        "IPP",
        "Technique",
        "Target",
        "Anaesthesia",
        "Operator",
        "Notes",
    ];
    const OLD_FR: [&str; 14] = [
        "Date",
        "Heure",
        "Fin",
        "Salle",
        "Patient",
        "Âge",
        "Sexe",
        "Né(e) le",
        "IPP",
        "Technique",
        "Cible",
        "Anesthésie",
        "Opérateur",
        "Notes",
    ];

    /// Read back with headers, as a program would.
    fn records(out: &str) -> (csv::StringRecord, Vec<csv::StringRecord>) {
        let body = out.strip_prefix('\u{feff}').expect("a BOM first");
        let mut r = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(body.as_bytes());
        let headers = r.headers().expect("headers").clone();
        let rows = r.records().map(|x| x.expect("a record")).collect();
        (headers, rows)
    }

    #[test]
    fn csv_old_columns_keep_their_positions_and_headers() {
        for (lang, old, new) in [
            (
                Lang::En,
                OLD_EN,
                [
                    "Override",
                    "Justification",
                    "Now blocking",
                    "Ward instructions",
                ],
            ),
            (
                Lang::Fr,
                OLD_FR,
                [
                    "Dérogation",
                    "Justification",
                    "Désormais bloquant",
                    "Consignes au service",
                ],
            ),
        ] {
            let p = programme(lang, false, false);
            let (headers, rows) = records(&render(&p));
            let got: Vec<&str> = headers.iter().collect();
            assert_eq!(got[..14], old);
            assert_eq!(got[14..], new);
            for (r, e) in rows.iter().zip(&p.validated) {
                // Found by position, as an old reader does.
                assert_eq!(&r[0], e.start.date().to_string());
                assert_eq!(&r[3], e.room);
                assert_eq!(&r[8], e.patient.ipp);
                assert_eq!(&r[12], e.operator);
                assert_eq!(&r[13], e.notes.join("\n"));
            }
        }
    }

    #[test]
    fn csv_says_validated_by_override_and_now_blocking() {
        let p = programme(Lang::En, false, false);
        let (_, rows) = records(&render(&p));
        assert_eq!(rows.len(), p.validated.len());
        let mut overrides = 0;
        let mut now_blocking = 0;
        for (r, e) in rows.iter().zip(&p.validated) {
            assert_eq!(e.status, DecisionStatus::Validated);
            if e.overridden {
                overrides += 1;
                assert!(r[14].starts_with("VALIDATED BY OVERRIDE"), "{r:?}");
                assert_eq!(
                    &r[15],
                    "INR of the day before checked by <b>Dr Martin</b> & team"
                );
                assert_eq!(&r[16], "");
            } else {
                assert_eq!((&r[14], &r[15]), ("", ""));
                let items: Vec<&str> = e
                    .now_blocking
                    .iter()
                    .map(|i| crate::text::words::item(Lang::En, *i))
                    .collect();
                assert_eq!(&r[16], items.join(", "));
                now_blocking += usize::from(!e.now_blocking.is_empty());
            }
        }
        assert_eq!(overrides, 1);
        // The fixture validates blocking cases without override.
        assert!(now_blocking >= 1);
        // A plainly validated case says nothing there.
        assert!(rows.iter().any(|r| r[14].is_empty() && r[16].is_empty()));
    }

    #[test]
    fn csv_pseudonymised_says_override_without_the_justification() {
        let p = programme(Lang::Fr, true, false);
        let out = render(&p);
        assert!(!out.contains("Dr Martin</b>"), "{out}");
        let (_, rows) = records(&out);
        let over: Vec<_> = rows.iter().filter(|r| !r[14].is_empty()).collect();
        assert_eq!(over.len(), 1);
        assert!(over[0][14].starts_with("VALIDÉ PAR DÉROGATION"));
        assert!(rows.iter().all(|r| r[15].is_empty()));
    }

    #[test]
    fn csv_keeps_line_breaks_of_notes_inside_the_cell() {
        let mut p = programme(Lang::En, false, false);
        p.validated[0].notes = vec!["Call Mrs X\nbefore 8:00".into(), "=1+1\n-2".into()];
        let out = render(&p);
        let (_, rows) = records(&out);
        assert_eq!(&rows[0][13], "Call Mrs X\nbefore 8:00\n=1+1\n-2");
        // Every record ends with CRLF; the breaks inside a quoted cell are \n.
        let mut quoted = false;
        let mut bare = 0;
        let bytes = out.as_bytes();
        for (i, b) in bytes.iter().enumerate() {
            match b {
                b'"' => quoted = !quoted,
                b'\n' if !quoted => assert_eq!(bytes[i - 1], b'\r'),
                b'\n' => bare += 1,
                _ => {}
            }
        }
        let inside: usize = p
            .validated
            .iter()
            .map(|e| {
                let ward = crate::text::export::ward_lines(p.lang, &e.ward).join("\n");
                e.notes.join("\n").matches('\n').count() + ward.matches('\n').count()
            })
            .sum();
        assert_eq!(bare, inside);
        assert!(bare >= 3);
    }
}
