//! The one clock: every "today" and "now" comes from here, so that tests
//! and demos can set it (`--today`).

use chrono::{Local, NaiveDate, NaiveDateTime, NaiveTime, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The machine's clock.
    System,
    /// A fixed day; "now" is noon of that day.
    Fixed(NaiveDate),
}

impl Clock {
    pub fn today(self) -> NaiveDate {
        match self {
            Clock::System => Local::now().date_naive(),
            Clock::Fixed(d) => d,
        }
    }

    /// Local wall-clock now.
    pub fn now(self) -> NaiveDateTime {
        match self {
            Clock::System => Local::now().naive_local(),
            Clock::Fixed(d) => {
                d.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or(NaiveTime::MIN))
            }
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
