//! The header: the week, who is at the keyboard, the week's counts and its
//! progress, the agenda's order. Its parts are never cut: each is a whole
//! segment, flowed over the header's lines; when they do not all fit, the
//! title gives way first, then whatever is left over is left out whole
//! (never a part of a number).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};
use unicode_width::UnicodeWidthStr;

use crate::domain::vocab::DecisionStatus as S;
use crate::text::screen::{self, ui};
use crate::tui::app::{App, Filter};
use crate::tui::data::CaseView;
use crate::tui::ui::layout;

const SEP: &str = " · ";
/// The most of the search the header shows.
const SEARCH_W: usize = 24;

/// One part of the header, never cut.
struct Seg {
    spans: Vec<Span<'static>>,
    /// Starts a line of its own when a line is left.
    new_line: bool,
    /// Left out when the header does not fit (it carries no number): 1
    /// first (the title), then 2 (the order); 0 never.
    drop: u8,
}

impl Seg {
    fn new(text: String, style: Style) -> Seg {
        Seg {
            spans: vec![Span::styled(text, style)],
            new_line: false,
            drop: 0,
        }
    }
    fn width(&self) -> usize {
        self.spans.iter().map(|s| s.content.width()).sum()
    }
    fn line(mut self) -> Seg {
        self.new_line = true;
        self
    }
}

/// The header's segments, in reading order.
fn segments(app: &App) -> Vec<Seg> {
    let lang = app.lang();
    let t = ui(lang);
    let theme = &app.opts.theme;
    let week = app.week();
    let cases = &app.data.cases;
    let count = |f: &dyn Fn(&CaseView) -> bool| cases.iter().filter(|c| f(c)).count();
    // The counts' words are the text report's (one copy of each).
    let w = crate::text::words::texts(lang);
    let mut segs = Vec::new();
    // First, so that nothing pushes it out: the screen is pseudonymised.
    if app.data.pseudonymised {
        segs.push(Seg::new(
            screen::pseudonymised(lang).to_owned(),
            theme.alert,
        ));
    }
    // Validated cases that have become blocking (a lab result that arrived
    // by itself): never pushed out either.
    if !app.data.alerts.is_empty() {
        let days = crate::report::alerts::ALERT_DAYS;
        segs.push(Seg::new(
            crate::text::alerts::header(lang, app.data.alerts.len(), days),
            theme.alert,
        ));
    }
    let mut title = Seg::new(t.title.to_owned(), theme.title);
    title.drop = 1;
    segs.push(title);
    segs.push(Seg {
        spans: vec![
            Span::styled(format!("{} {} ", w.week, week), theme.title),
            Span::raw(format!(
                "({} → {})",
                week.monday().format("%d/%m"),
                (week.end() - chrono::Duration::days(1)).format("%d/%m/%Y")
            )),
        ],
        new_line: false,
        drop: 0,
    });
    // What narrows the board is shown where it cannot be missed.
    if app.filter != Filter::All || app.narrow.is_some() || !app.search.is_empty() || app.searching
    {
        // The day, room or operator, then the status filter ("tous" when
        // only the search narrows).
        let mut what: Vec<String> = app
            .narrow
            .iter()
            .map(|n| screen::narrow_label(lang, n))
            .collect();
        if app.filter != Filter::All || what.is_empty() {
            what.push(screen::filter(lang, app.filter).to_owned());
        }
        let mut spans = vec![Span::styled(
            format!("{} {}/{}", what.join(", "), app.visible.len(), cases.len()),
            theme.key,
        )];
        if !app.search.is_empty() {
            // A long search ends with "…" here, so that the count beside
            // it always finds room (it shows whole while typed).
            let search = crate::domain::text::sanitize_line(&app.search);
            spans.push(Span::styled(
                format!(" « {} »", super::patient::cut_end(&search, SEARCH_W)),
                theme.key,
            ));
        }
        segs.push(Seg {
            spans,
            new_line: false,
            drop: 0,
        });
    }
    segs.push(Seg::new(
        screen::who(lang, app.db().login(), app.role),
        theme.muted,
    ));
    // The follow-up calls overdue (a role that may read them), counted at
    // the last load.
    let overdue = app
        .data
        .overdue_follow_ups
        .filter(|n| *n > 0)
        .map(|n| Seg::new(crate::text::followup::overdue(lang, n), theme.advisory));
    // A role that reads no week (the nurse): no count of cases to show.
    if app.data.board_refused {
        segs.extend(overdue);
        segs.push(protocol(app));
        return segs;
    }
    let own = |c: &CaseView| !c.to_reschedule;
    // A case whose booking ended at its source is counted apart: neither
    // complete, blocking, undecided nor in the committee's decisions.
    let ended = |c: &CaseView| c.stored.ended_at_source().is_some();
    let live = |c: &CaseView| own(c) && !ended(c);
    let status = |s: S| count(&|c| live(c) && c.stored.status == s);
    segs.push(Seg::new(format!("{} {}", w.cases, count(&|c| own(c))), theme.base).line());
    segs.push(Seg::new(
        format!(
            "{} {}",
            w.complete,
            count(&|c| live(c) && c.assessment.complete())
        ),
        theme.ok,
    ));
    segs.push(Seg::new(
        format!(
            "{} {}",
            w.blocking,
            count(&|c| live(c) && !c.assessment.complete())
        ),
        theme.blocking,
    ));
    for (word, s) in [
        (w.validated, S::Validated),
        (w.postponed, S::Postponed),
        (w.cancelled, S::Cancelled),
    ] {
        segs.push(Seg::new(format!("{word} {}", status(s)), theme.base));
    }
    let ended_n = count(&|c| own(c) && ended(c));
    if ended_n > 0 {
        segs.push(Seg::new(
            crate::text::feeds::ended_count(lang, ended_n),
            theme.advisory,
        ));
    }
    let to_reschedule = count(&|c| c.to_reschedule);
    if to_reschedule > 0 {
        segs.push(Seg::new(
            format!("{} {to_reschedule}", t.to_reschedule),
            theme.advisory,
        ));
    }
    // The chase list's count (a role that may read it).
    if let Some((open, late)) = app.data.tasks {
        let style = if late > 0 { theme.blocking } else { theme.base };
        segs.push(Seg::new(
            crate::text::tasks::header_count(lang, open, late),
            style,
        ));
    }
    segs.extend(overdue);
    let left = status(S::Pending);
    let decided = count(&|c| own(c)) - left;
    segs.push(Seg::new(screen::progress(lang, decided, left), theme.title).line());
    let mut order = Seg::new(screen::order(lang, app.order), theme.key);
    order.drop = 2;
    segs.push(order);
    if let Some(missing) = &app.data.quorum {
        let style = if missing.is_empty() {
            theme.ok
        } else {
            theme.advisory
        };
        segs.push(Seg::new(screen::quorum(lang, missing), style));
    }
    segs.push(protocol(app));
    segs
}

/// The local protocol's line (issue 17): amber, and never left out, while
/// the rules in force are not the ones last approved; else muted, left out
/// with the order when the header is pressed.
fn protocol(app: &App) -> Seg {
    let status = &app.data.protocol;
    let text = crate::text::protocol::line(app.lang(), status, app.data.tz);
    let theme = &app.opts.theme;
    if status.needs_review() {
        return Seg::new(text, theme.advisory);
    }
    let mut seg = Seg::new(text, theme.muted);
    seg.drop = 2;
    seg
}

/// How hard the header is pressed to fit: the segments left out (those
/// whose `drop` is at most `drop`), and whether the groups follow one
/// another instead of each starting a line.
#[derive(Debug, Clone, Copy)]
struct Tight {
    drop: u8,
    packed: bool,
}

/// Which segments go on which of `lines` lines, each at most `width`
/// wide; whole segments that do not fit are left out, and the flag says
/// whether each that must show did.
fn flow(segs: &[Seg], width: usize, lines: usize, tight: Tight) -> (Vec<Vec<usize>>, bool) {
    let mut out: Vec<Vec<usize>> = vec![Vec::new()];
    let mut used = 0usize;
    let mut all = true;
    for (i, s) in segs.iter().enumerate() {
        if s.drop > 0 && s.drop <= tight.drop {
            continue;
        }
        let w = s.width();
        let last = out.len() - 1;
        if s.new_line && !tight.packed && !out[last].is_empty() && out.len() < lines {
            out.push(Vec::new());
            used = 0;
        }
        let last = out.len() - 1;
        let need = if out[last].is_empty() {
            w
        } else {
            used + SEP.width() + w
        };
        if need <= width {
            out[last].push(i);
            used = need;
        } else if out.len() < lines && w <= width {
            out.push(vec![i]);
            used = w;
        } else if s.drop == 0 {
            all = false;
        }
    }
    (out, all)
}

/// The header's tightenings, gentlest first: what is left out (the title,
/// then the order) and whether the groups follow one another.
const TIGHTS: [(u8, bool); 4] = [(0, false), (1, false), (1, true), (2, true)];

/// How many lines the header needs on a screen `width` wide: 3, more
/// (up to `layout::HEADER_MAX`) when what narrows the board leaves the
/// counts no room on 3 even with the title and the order left out.
pub fn height(app: &App, width: u16) -> u16 {
    let segs = segments(app);
    (layout::HEADER_H..layout::HEADER_MAX)
        .find(|&lines| {
            TIGHTS.iter().any(|&(drop, packed)| {
                flow(
                    &segs,
                    usize::from(width),
                    usize::from(lines),
                    Tight { drop, packed },
                )
                .1
            })
        })
        .unwrap_or(layout::HEADER_MAX)
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let segs = segments(app);
    let (width, height) = (usize::from(area.width), usize::from(area.height).max(1));
    let mut lines = Vec::new();
    for (drop, packed) in TIGHTS {
        let tight = Tight { drop, packed };
        let all;
        (lines, all) = flow(&segs, width, height, tight);
        if all {
            break;
        }
    }
    let mut segs: Vec<Option<Seg>> = segs.into_iter().map(Some).collect();
    let text: Vec<Line> = lines
        .into_iter()
        .map(|line| {
            let mut spans = Vec::new();
            for (n, i) in line.into_iter().enumerate() {
                if n > 0 {
                    spans.push(Span::raw(SEP));
                }
                if let Some(s) = segs[i].take() {
                    spans.extend(s.spans);
                }
            }
            Line::from(spans)
        })
        .collect();
    Paragraph::new(text).render(area, buf);
}
