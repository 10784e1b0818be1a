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

    /// UTC timestamp for audit and record rows (RFC 3339, seconds). Always
    /// the machine's real time, even when "today" is set: the trail records
    /// when a change was really made.
    pub fn timestamp(self) -> String {
        Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
    }
}
