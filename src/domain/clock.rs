//! The one clock: every "today" and "now" comes from here, so that tests
//! and demos can set it (`--today`).

use chrono::{Local, NaiveDate, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The machine's clock.
    System,
    /// A fixed day; the time of what is written is noon UTC of that day.
    Fixed(NaiveDate),
}

impl Clock {
    pub fn today(self) -> NaiveDate {
        match self {
            Clock::System => Local::now().date_naive(),
            Clock::Fixed(d) => d,
        }
    }

    /// Today in the hospital's zone `tz` (the fixed day under `--today`),
    /// whatever the server's own zone.
    pub fn today_in(self, tz: chrono_tz::Tz) -> NaiveDate {
        match self {
            Clock::System => Utc::now().with_timezone(&tz).date_naive(),
            Clock::Fixed(d) => d,
        }
    }

    /// UTC timestamp for audit and record rows (RFC 3339, seconds). With a
    /// fixed day (tests, demos, rehearsals: `--today`) it is noon UTC of that
    /// day, so that what they write and show is reproducible.
    pub fn timestamp(self) -> String {
        match self {
            Clock::System => Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            Clock::Fixed(d) => format!("{}T12:00:00Z", d.format("%Y-%m-%d")),
        }
    }
}
