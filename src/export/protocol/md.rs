//! The local protocol in Markdown: a heading per dossier item and per
//! rule, a pipe table of the rule's rows. Every text is escaped
//! (`export::md::escape`): a source or a name cannot break a table nor
//! become markup.

use std::fmt::Write;

use super::Document;
use crate::export::md::escape;
use crate::text::typo;

pub fn render(d: &Document) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# {}\n", escape(&d.title));
    let _ = writeln!(o, "{}\n", escape(&d.intro));
    for (label, value) in &d.header {
        let _ = writeln!(
            o,
            "- **{}**{} {}",
            escape(label),
            typo::colon(d.lang),
            escape(value)
        );
    }
    for section in &d.sections {
        let _ = writeln!(o, "\n## {}", escape(&section.title));
        for rule in &section.rules {
            let _ = writeln!(o, "\n### {}\n", escape(&rule.name));
            let _ = writeln!(
                o,
                "{} (`{}`)",
                escape(&rule.description),
                rule.key.replace('`', "")
            );
            table(&mut o, &rule.heads, &rule.rows);
        }
    }
    let s = &d.scores;
    let _ = writeln!(o, "\n## {}\n", escape(&s.title));
    let _ = writeln!(o, "{}", escape(&s.intro));
    for (first, lines) in &s.scores {
        let _ = writeln!(o, "\n{}\n", escape(first));
        for line in lines {
            let _ = writeln!(o, "- {}", escape(line));
        }
    }
    let c = &d.changes;
    let _ = writeln!(o, "\n## {}\n", escape(&c.title));
    let _ = writeln!(o, "{}", escape(&c.since));
    match &c.none {
        Some(none) => {
            let _ = writeln!(o, "\n{}", escape(none));
        }
        None => table(&mut o, &c.heads, &c.rows),
    }
    let _ = writeln!(o, "\n---\n\n{}", escape(&d.made_by));
    o
}

/// A pipe table after a blank line, every cell escaped.
fn table(o: &mut String, heads: &[String], rows: &[Vec<String>]) {
    let line = |o: &mut String, cells: &[String]| {
        o.push('|');
        for c in cells {
            let _ = write!(o, " {} |", escape(c));
        }
        o.push('\n');
    };
    o.push('\n');
    line(o, heads);
    o.push('|');
    o.push_str(&" --- |".repeat(heads.len()));
    o.push('\n');
    for r in rows {
        line(o, r);
    }
}
