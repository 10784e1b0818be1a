//! The local protocol as one self-contained HTML5 page to print: no script,
//! no external resource, A4 portrait, legible in black and white; tables
//! whose heading repeats on each page and whose rows are not split. Every
//! text is escaped (`export::html::escape`). Each rule row is a
//! `<tr class="rule">`, each change a `<tr class="change">`.

use std::fmt::Write;

use super::Document;
use crate::export::html::escape;
use crate::text::typo;

const STYLE: &str = "@page { size: A4; margin: 15mm }
body { font: 10pt/1.35 serif; color: #000; background: #fff; margin: 0 }
h1 { font-size: 16pt; margin: 0 0 6pt }
h2 { font-size: 13pt; margin: 14pt 0 4pt; border-bottom: 1.5pt solid #000; break-after: avoid }
h3 { font-size: 11pt; margin: 10pt 0 2pt; break-after: avoid }
p { margin: 2pt 0 }
p.description { break-after: avoid }
code { font-family: monospace }
table { border-collapse: collapse; width: 100%; margin: 2pt 0 6pt }
thead { display: table-header-group }
tr { break-inside: avoid }
th, td { border: 0.75pt solid #000; padding: 2pt 4pt; text-align: left; vertical-align: top }
th { font-weight: bold; border-bottom: 1.5pt solid #000 }
dl.header { display: grid; grid-template-columns: max-content auto; gap: 1pt 8pt }
dl.header dt { font-weight: bold }
dl.header dd { margin: 0 }
tr.sign td { height: 14mm }
section#sign-off { break-inside: avoid }
footer { margin-top: 12pt; border-top: 0.75pt solid #000; font-size: 9pt }
";

pub fn render(d: &Document) -> String {
    let mut o = String::new();
    let lang = d.lang.code();
    let title = escape(&d.title);
    let _ = writeln!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>"
    );
    let _ = writeln!(o, "<p>{}</p>\n<dl class=\"header\">", escape(&d.intro));
    for (label, value) in &d.header {
        let _ = writeln!(
            o,
            "<dt>{}{}</dt><dd>{}</dd>",
            escape(label),
            typo::colon(d.lang),
            escape(value)
        );
    }
    o.push_str("</dl>\n");
    for section in &d.sections {
        let _ = writeln!(o, "<section>\n<h2>{}</h2>", escape(&section.title));
        for rule in &section.rules {
            let _ = writeln!(
                o,
                "<h3>{}</h3>\n<p class=\"description\">{} (<code>{}</code>)</p>",
                escape(&rule.name),
                escape(&rule.description),
                escape(&rule.key)
            );
            table(&mut o, &rule.heads, &rule.rows, "rule");
        }
        o.push_str("</section>\n");
    }
    let s = &d.scores;
    let _ = writeln!(
        o,
        "<section>\n<h2>{}</h2>\n<p>{}</p>",
        escape(&s.title),
        escape(&s.intro)
    );
    for (first, lines) in &s.scores {
        let _ = writeln!(o, "<p>{}</p>\n<ul>", escape(first));
        for line in lines {
            let _ = writeln!(o, "<li>{}</li>", escape(line));
        }
        o.push_str("</ul>\n");
    }
    o.push_str("</section>\n");
    let c = &d.changes;
    let _ = writeln!(
        o,
        "<section id=\"changes\">\n<h2>{}</h2>\n<p>{}</p>",
        escape(&c.title),
        escape(&c.since)
    );
    match &c.none {
        Some(none) => {
            let _ = writeln!(o, "<p>{}</p>", escape(none));
        }
        None => table(&mut o, &c.heads, &c.rows, "change"),
    }
    o.push_str("</section>\n");
    // On paper the department signs the version it reviewed.
    let (title, sentence, heads, roles) =
        crate::text::protocol_doc::sign_off(d.lang, d.version, &d.digest);
    let _ = writeln!(
        o,
        "<section id=\"sign-off\">\n<h2>{}</h2>\n<p>{}</p>",
        escape(&title),
        escape(&sentence)
    );
    let heads: Vec<String> = heads.iter().map(|h| (*h).to_owned()).collect();
    let rows: Vec<Vec<String>> = roles
        .iter()
        .map(|r| vec![(*r).to_owned(), String::new(), String::new(), String::new()])
        .collect();
    table(&mut o, &heads, &rows, "sign");
    let _ = writeln!(
        o,
        "</section>\n<footer><p>{}</p></footer>\n</body>\n</html>",
        escape(&d.made_by)
    );
    o
}

/// A table with its heading row repeated on each printed page; each row of
/// class `class`.
fn table(o: &mut String, heads: &[String], rows: &[Vec<String>], class: &str) {
    o.push_str("<table>\n<thead><tr>");
    for h in heads {
        let _ = write!(o, "<th>{}</th>", escape(h));
    }
    o.push_str("</tr></thead>\n<tbody>\n");
    for r in rows {
        let _ = write!(o, "<tr class=\"{class}\">");
        for c in r {
            let _ = write!(o, "<td>{}</td>", escape(c));
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody>\n</table>\n");
}
