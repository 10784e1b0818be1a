//! The programme (or the minutes) in Markdown, to paste into a mail or a
//! wiki: a heading and a pipe table per day. Text from the data is escaped
//! so that it can neither break a table (`|`, line breaks) nor become
//! markup or HTML (`<` is written `&lt;`, which every renderer shows as text).
//! The one tag written is `<br>`: a line break of a note inside a table cell.
//! A case validated by override, or blocking since its validation, says so
//! in bold in its row; the document says when it was made and the audit
//! trail's head then.

use std::fmt::Write;

use super::Programme;
use super::html::{
    Table, day_table, discussed_table, edition_line, override_table, protocol_line, week_line,
    zone_line,
};
use crate::text::export::{day, labels};

/// Escapes text for Markdown, in a table cell or a line of its own.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.trim().chars().peekable();
    let mut at_start = true;
    while let Some(c) = chars.next() {
        match c {
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '#' | '-' | '+' if at_start => {
                out.push('\\');
                out.push(c);
            }
            // `<` opens markup only before a letter, `/`, `!` or `?`
            // (CommonMark's tags, comments, autolinks): "< 5" stays as
            // written. `>` is markup only at the start (a quote).
            '<' if chars
                .peek()
                .is_none_or(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')) =>
            {
                out.push_str("&lt;")
            }
            '>' if at_start => out.push_str("\\>"),
            // `&lt;` in the data stays text; a bare `&` is shown as is.
            '&' if chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#') =>
            {
                out.push_str("&amp;")
            }
            c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' => out.push(' '),
            c => out.push(c),
        }
        at_start = false;
    }
    out
}

pub fn render(p: &Programme) -> String {
    let l = labels(p.lang);
    let mut o = String::new();
    match &p.minutes {
        Some(m) => {
            let (title, week) = (escape(l.minutes_title), escape(&week_line(p)));
            let _ = writeln!(o, "# {title}\n\n{week}\n");
            let meeting = format!("{} {}", l.meeting_of, day(p.lang, m.meeting_date));
            let _ = writeln!(o, "{}\n", bold(&meeting));
        }
        None => {
            let title = format!("{} — {}", l.programme_title, week_line(p));
            let _ = writeln!(o, "# {}\n", escape(&title));
        }
    }
    if p.pseudonymised {
        let _ = writeln!(o, "{}\n", bold(l.pseudonymised));
    }
    let _ = writeln!(o, "{}\n", escape(&zone_line(p)));
    // The protocol that judged the week; in bold when not the one approved.
    let protocol = if p.protocol.needs_review {
        bold(&protocol_line(p))
    } else {
        escape(&protocol_line(p))
    };
    let _ = writeln!(o, "{protocol}\n");
    let _ = writeln!(
        o,
        "{} {}",
        escape(&edition_line(p)),
        hash(&p.edition.audit_head)
    );
    let Some(m) = &p.minutes else {
        programme(&mut o, p, "##");
        return o;
    };
    let _ = writeln!(o, "\n## {}\n", escape(l.present));
    if m.attendees.is_empty() {
        let _ = writeln!(o, "{}", escape(l.nobody_recorded));
    }
    for a in &m.attendees {
        let role = a.role.as_deref().map(|r| format!(" ({})", escape(r)));
        let _ = writeln!(o, "- {}{}", bold(&a.name), role.unwrap_or_default());
    }
    if let Some(missing) = &m.quorum_missing {
        let line = crate::text::export::quorum_line(p.lang, missing);
        let line = if missing.is_empty() {
            escape(&line)
        } else {
            bold(&line)
        };
        let _ = writeln!(o, "\n{line}");
    }
    let _ = writeln!(o, "\n## {}", escape(l.programme_title));
    programme(&mut o, p, "###");
    let _ = writeln!(o, "\n## {}", escape(l.discussed));
    table(&mut o, &discussed_table(p));
    let _ = writeln!(o, "\n## {}", escape(l.override_title));
    match override_table(p) {
        Some(t) => table(&mut o, &t),
        None => o.push_str("\n—\n"),
    }
    if !m.unfinished_exports.is_empty() {
        let _ = writeln!(o, "\n## {}\n", escape(l.unfinished_title));
        for u in &m.unfinished_exports {
            let _ = writeln!(
                o,
                "- {}",
                escape(&crate::text::export::unfinished(p.lang, u))
            );
        }
    }
    let (head, hint) = (escape(l.audit_head), escape(l.audit_head_hint));
    let _ = writeln!(o, "\n## {head}\n\n{hint} {}", hash(&m.audit_head));
    o
}

/// An audit head hash as code (escaped text if it is not one).
fn hash(h: &str) -> String {
    if !h.is_empty() && h.chars().all(|c| c.is_ascii_alphanumeric()) {
        format!("`{h}`")
    } else {
        escape(h)
    }
}

/// A line of a table cell: escaped, its line breaks (a note's) as `<br>`,
/// the only tag the document writes.
fn escape_cell(s: &str) -> String {
    s.split('\n').map(escape).collect::<Vec<_>>().join("<br>")
}

/// `**text**`, escaped (nothing when empty: `****` would show).
fn bold(s: &str) -> String {
    let e = escape(s);
    if e.is_empty() { e } else { format!("**{e}**") }
}

/// The validated programme: a heading and a table per day.
fn programme(o: &mut String, p: &Programme, level: &str) {
    let days = p.days();
    if days.is_empty() {
        let _ = writeln!(o, "\n{}", bold(labels(p.lang).no_validated));
    }
    for (date, entries) in days {
        let _ = writeln!(o, "\n{level} {}", escape(&day(p.lang, date)));
        table(o, &day_table(p, &entries));
    }
}

/// `heads` and `rows` of plain text as a pipe table, escaped as the
/// programme's tables are (after a blank line).
pub fn plain_table(heads: &[&str], rows: Vec<Vec<String>>) -> String {
    let mut o = String::new();
    table(&mut o, &super::html::Table::plain(heads, rows));
    o
}

/// A pipe table: one line per row, the lines of a cell joined by " · ".
fn table(o: &mut String, t: &Table) {
    let line = |o: &mut String, cells: Vec<String>| {
        o.push('|');
        for c in cells {
            let _ = write!(o, " {c} |");
        }
        o.push('\n');
    };
    o.push('\n');
    line(o, t.heads.iter().map(|h| escape(h)).collect());
    line(o, vec!["---".to_owned(); t.heads.len()]);
    for r in &t.rows {
        let cells = r.iter().map(|c| {
            let mut lines: Vec<String> = c.lines.iter().map(|s| escape_cell(s)).collect();
            let bold = |l: &mut String| {
                if !l.is_empty() {
                    *l = format!("**{l}**");
                }
            };
            if c.alert {
                lines.iter_mut().for_each(bold);
            } else if let Some(first) = lines.first_mut().filter(|_| c.strong) {
                bold(first);
            }
            lines.join(" · ")
        });
        line(o, cells.collect());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::message::Lang;
    use crate::export::testkit;

    /// The table cells of a row: `|` not escaped by a backslash.
    fn columns(line: &str) -> usize {
        let mut n = 0;
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    chars.next();
                }
                '|' => n += 1,
                _ => {}
            }
        }
        n
    }

    /// Every table of `md` as its rows.
    fn tables(md: &str) -> Vec<Vec<&str>> {
        let mut out: Vec<Vec<&str>> = Vec::new();
        let mut in_table = false;
        for line in md.lines() {
            match (line.starts_with('|'), in_table) {
                (true, true) => out.last_mut().expect("table").push(line),
                (true, false) => out.push(vec![line]),
                _ => {}
            }
            in_table = line.starts_with('|');
        }
        out
    }

    #[test]
    fn programme_fr_snapshot() {
        insta::assert_snapshot!(render(&testkit::programme(Lang::Fr, false, false)));
    }

    #[test]
    fn minutes_en_snapshot() {
        insta::assert_snapshot!(render(&testkit::programme(Lang::En, false, true)));
    }

    #[test]
    fn pipe_in_data_adds_no_column() {
        let mut p = testkit::programme(Lang::Fr, false, true);
        let e = &mut p.validated[0];
        e.room = "A | B \\| C\\".into();
        e.notes = vec!["x|y".into(), "line\nbreak |".into()];
        e.patient.name = "|".into();
        e.override_justification = Some("a || b".into());
        p.set_apart[0].reason = Some("why | not\r\nnow".into());
        let md = render(&p);
        let tables = tables(&md);
        assert_eq!(tables.len(), p.days().len() + 2);
        for t in tables {
            let n = columns(t[0]);
            assert!(n > 2);
            for r in &t {
                assert_eq!(columns(r), n, "{r}");
            }
        }
        assert!(md.contains("A \\| B \\\\\\| C\\\\"));
        // A line break inside a cell is a <br>, never a new row.
        assert!(md.contains("why \\| not<br>now"));
        assert!(md.contains("line<br>break \\|"));
    }

    #[test]
    fn markup_in_data_is_escaped() {
        for minutes in [false, true] {
            let md = render(&testkit::programme(Lang::Fr, false, minutes));
            // The one tag: a line break of a note.
            assert!(
                md.contains("Iodine allergy<br>\\- premedication \\| per protocol<br>in the ward")
            );
            assert!(!md.replace("<br>", "").contains('<'), "{md}");
            assert!(md.contains("&lt;SCRIPT>ALERT(1)&lt;/SCRIPT>"));
        }
        let md = render(&testkit::programme(Lang::En, false, true));
        assert!(md.contains("- **Dr &lt;Roussel> & co**"));
        assert!(md.contains("&lt;b>Dr Martin&lt;/b> & team"));
        assert_eq!(
            escape("*a* _b_ `c` [d](e) ~f~"),
            "\\*a\\* \\_b\\_ \\`c\\` \\[d\\](e) \\~f\\~"
        );
        assert_eq!(escape("# not a heading"), "\\# not a heading");
        assert_eq!(escape("- not a list"), "\\- not a list");
        assert_eq!(escape("&lt; & &#60;"), "&amp;lt; & &amp;#60;");
        assert_eq!(escape("a\nb\tc"), "a b c");
        // A tag in the data stays text, <br> included.
        assert_eq!(escape_cell("a<br>b\n<b>c"), "a&lt;br>b<br>&lt;b>c");
        // Comparisons read as written; a quote at the start does not open.
        assert_eq!(
            escape("< 5 patients, > 48 h, <5"),
            "< 5 patients, > 48 h, <5"
        );
        assert_eq!(escape("> not a quote"), "\\> not a quote");
        assert_eq!(
            escape("a <!-- b --> <?x <http://e>"),
            "a &lt;!-- b --> &lt;?x &lt;http://e>"
        );
    }

    #[test]
    fn minutes_sections() {
        let p = testkit::programme(Lang::En, false, true);
        let l = labels(Lang::En);
        let md = render(&p);
        for h in [
            l.present,
            l.programme_title,
            l.discussed,
            l.override_title,
            l.audit_head,
        ] {
            assert!(md.contains(&format!("\n## {h}\n")), "{h}");
        }
        for (d, _) in p.days() {
            assert!(md.contains(&format!("\n### {}\n", day(Lang::En, d))));
        }
        for e in &p.set_apart {
            assert!(md.contains(&escape(&e.external_id)));
        }
        let head = &p.minutes.as_ref().expect("minutes").audit_head;
        assert!(md.contains(&format!("`{head}`")));
    }

    #[test]
    fn empty_week() {
        let mut p = testkit::programme(Lang::Fr, false, true);
        p.validated.clear();
        if let Some(m) = p.minutes.as_mut() {
            m.attendees.clear();
        }
        let md = render(&p);
        assert!(md.contains(labels(Lang::Fr).no_validated));
        assert!(md.contains(labels(Lang::Fr).nobody_recorded));
    }

    #[test]
    fn pseudonymised_md_names_nobody() {
        for minutes in [false, true] {
            let md = render(&testkit::programme(Lang::Fr, true, minutes)).to_lowercase();
            assert!(md.contains(&escape(labels(Lang::Fr).pseudonymised).to_lowercase()));
            assert!(!md.contains("call mrs x") && !md.contains("iodine"));
            assert!(md.contains("**validé par dérogation**"));
            assert!(!md.contains("inr of the day before") && !md.contains("dr martin&lt;"));
            for c in testkit::cases() {
                let pt = &c.file.patient;
                let name = escape(&pt.last_name).to_lowercase();
                assert!(!md.contains(&name), "{name}");
                assert!(!md.contains(&pt.ipp), "{}", pt.ipp);
                for d in [
                    pt.birth_date.format("%Y-%m-%d"),
                    pt.birth_date.format("%d/%m/%Y"),
                ] {
                    assert!(!md.contains(&d.to_string()), "{d}");
                }
            }
        }
    }

    #[test]
    fn the_row_says_validated_by_override_or_now_blocking_in_bold() {
        let p = testkit::programme(Lang::En, false, false);
        let md = render(&p);
        let rows: Vec<&str> = tables(&md)
            .into_iter()
            .flat_map(|t| t[2..].to_vec())
            .collect();
        assert_eq!(rows.len(), p.validated.len());
        for (row, e) in rows.iter().zip(&p.validated) {
            assert!(row.contains(&escape(&e.patient.name)), "{row}");
            if e.overridden {
                assert!(row.contains(
                    "| **VALIDATED BY OVERRIDE: INR of the day before checked by \
                     &lt;b>Dr Martin&lt;/b> & team** |"
                ));
            } else if !e.now_blocking.is_empty() {
                let items: Vec<&str> = e
                    .now_blocking
                    .iter()
                    .map(|i| crate::text::words::item(Lang::En, *i))
                    .collect();
                let want = format!("| **VALIDATED BUT NOW BLOCKING: {}** |", items.join(", "));
                assert!(row.contains(&want), "{row}");
            } else {
                assert!(
                    row.contains("| validated |") && !row.contains("BLOCKING"),
                    "{row}"
                );
            }
        }
    }

    #[test]
    fn the_document_says_when_it_was_made_and_the_audit_head() {
        for minutes in [false, true] {
            let md = render(&testkit::programme(Lang::En, false, minutes));
            let head = "9f2c".repeat(16);
            let line = format!(
                "\nEdited Thursday 26/11/2026 16:30 (Europe/Paris) · audit trail head: `{head}`\n"
            );
            assert!(md.contains(&line), "{md}");
        }
    }
}
