//! The programme (or the minutes) in Markdown, to paste into a mail or a
//! wiki: a heading and a pipe table per day. Text from the data is escaped
//! so that it can neither break a table (`|`, line breaks) nor become
//! markup or HTML (`<` is written `&lt;`, which every renderer shows as text).

use std::fmt::Write;

use super::Programme;
use super::html::{Table, day_table, discussed_table, override_table, week_line, zone_line};
use super::labels::{day, labels};

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
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
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
    let _ = writeln!(o, "{}", escape(&zone_line(p)));
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
    let _ = writeln!(o, "\n## {}", escape(l.programme_title));
    programme(&mut o, p, "###");
    let _ = writeln!(o, "\n## {}", escape(l.discussed));
    table(&mut o, &discussed_table(p));
    let _ = writeln!(o, "\n## {}", escape(l.override_title));
    match override_table(p) {
        Some(t) => table(&mut o, &t),
        None => o.push_str("\n—\n"),
    }
    let hash = &m.audit_head;
    let hash = if !hash.is_empty() && hash.chars().all(|c| c.is_ascii_alphanumeric()) {
        format!("`{hash}`")
    } else {
        escape(hash)
    };
    let (head, hint) = (escape(l.audit_head), escape(l.audit_head_hint));
    let _ = writeln!(o, "\n## {head}\n\n{hint} {hash}");
    o
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
            let mut lines: Vec<String> = c.lines.iter().map(|s| escape(s)).collect();
            if let Some(first) = lines.first_mut().filter(|f| c.strong && !f.is_empty()) {
                *first = format!("**{first}**");
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
        assert!(md.contains("why \\| not  now"));
    }

    #[test]
    fn markup_in_data_is_escaped() {
        for minutes in [false, true] {
            let md = render(&testkit::programme(Lang::Fr, false, minutes));
            assert!(!md.contains('<'), "{md}");
            assert!(md.contains("&lt;SCRIPT&gt;ALERT(1)&lt;/SCRIPT&gt;"));
        }
        let md = render(&testkit::programme(Lang::En, false, true));
        assert!(md.contains("- **Dr &lt;Roussel&gt; & co**"));
        assert!(md.contains("&lt;b&gt;Dr Martin&lt;/b&gt; & team"));
        assert_eq!(
            escape("*a* _b_ `c` [d](e) ~f~"),
            "\\*a\\* \\_b\\_ \\`c\\` \\[d\\](e) \\~f\\~"
        );
        assert_eq!(escape("# not a heading"), "\\# not a heading");
        assert_eq!(escape("- not a list"), "\\- not a list");
        assert_eq!(escape("&lt; & &#60;"), "&amp;lt; & &amp;#60;");
        assert_eq!(escape("a\nb\tc"), "a b c");
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
            assert!(!md.contains("call mrs x"));
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
}
