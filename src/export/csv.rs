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

use super::Programme;
use super::labels::labels;
use super::model::Entry;

/// The number of columns.
const COLUMNS: usize = 14;

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
    ]
}

/// Writes the validated programme of `p`.
pub fn render(p: &Programme) -> String {
    let header = header(p.lang).map(str::to_owned);
    let rows = std::iter::once(header).chain(p.validated.iter().map(|e| row(e, p.pseudonymised)));
    // Writing to memory cannot fail, and every record has COLUMNS cells
    // (the csv crate's only other error).
    let bytes = write(rows).expect("a CSV written to memory with fixed-width rows cannot fail");
    let mut out = String::with_capacity(bytes.len() + 3);
    out.push('\u{feff}');
    out.push_str(&String::from_utf8_lossy(&bytes));
    out
}

fn write(rows: impl Iterator<Item = [String; COLUMNS]>) -> csv::Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Always)
        .from_writer(Vec::new());
    for r in rows {
        w.write_record(r.iter().map(|c| neutralise(c).into_owned()))?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// The cells of one procedure, as they read (before neutralisation).
fn row(e: &Entry, pseudonymised: bool) -> [String; COLUMNS] {
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
        e.notes.join(" / "),
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
        for e in &p.validated {
            let born = if p.pseudonymised {
                String::new()
            } else {
                e.patient
                    .birth_date
                    .map(|d| d.to_string())
                    .unwrap_or_default()
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
                e.notes.join(" / "),
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
                assert_eq!(g.len(), 14);
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
        assert_eq!(out.matches('\n').count(), out.matches("\r\n").count());
        let rows = parse(&out);
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
}
