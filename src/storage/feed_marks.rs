//! The feed's marks on cases, read with them (issue 16): service codes to
//! map, a booking's end at its source, an identity changed (and what
//! changed), laboratory results that could not be used, what a booking
//! does not carry, what it changed after the committee's decision.

use rusqlite::Connection;

use super::Result;
use crate::domain::feed::{Ended, FeedMarks, SourceEnd};

/// The feed's marks of the cases matching `filter` (a condition on
/// `cases c`), for the cases that have one, as (case id, marks).
pub(super) fn load_marks(
    conn: &Connection,
    filter: &str,
    params: &[&dyn rusqlite::ToSql],
) -> Result<Vec<(i64, FeedMarks)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.id, c.services,
           (SELECT json_group_array(j.value) FROM json_each(c.services) j
            WHERE NOT EXISTS (SELECT 1 FROM service_map m WHERE m.code = j.value)),
           c.techniques, c.source_end, c.source_end_on, c.source_end_by, p.identity_changed_on,
           p.identity_before, p.last_name, p.first_name, p.birth_date, p.sex,
           c.source GLOB 'hl7:*' AND NOT EXISTS (SELECT 1 FROM import_base b
             WHERE b.case_id = c.id AND b.item = 'anaesthesia'),
           c.source GLOB 'hl7:*' AND c.target = '' AND NOT EXISTS (SELECT 1 FROM import_base b
             WHERE b.case_id = c.id AND b.item = 'target'),
           p.identity_changed_by, c.changed_after_decision
         FROM cases c JOIN patients p ON p.id = c.patient_id
         WHERE ({filter}) AND (c.services IS NOT NULL OR c.source_end IS NOT NULL
           OR c.changed_after_decision IS NOT NULL
           OR p.identity_changed_on IS NOT NULL OR EXISTS (SELECT 1 FROM lab_unusable u
             WHERE u.case_id = c.id AND u.acknowledged_at IS NULL))"
    ))?;
    let rows = stmt.query_map(params, |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, String>(3)?,
            (
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(6)?,
            ),
            (
                r.get::<_, Option<String>>(7)?,
                r.get::<_, Option<String>>(8)?,
                [
                    r.get::<_, String>(9)?,
                    r.get::<_, String>(10)?,
                    r.get::<_, String>(11)?,
                    r.get::<_, String>(12)?,
                ],
            ),
            (r.get::<_, bool>(13)?, r.get::<_, bool>(14)?),
            (
                r.get::<_, Option<String>>(15)?,
                r.get::<_, Option<String>>(16)?,
            ),
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (
            id,
            services,
            unmapped,
            techniques,
            end,
            (identity, before, now),
            (anaesthesia, target),
            (changed_by, changed),
        ) = row?;
        let mut marks = FeedMarks {
            anaesthesia_assumed: anaesthesia,
            target_missing: target,
            ..FeedMarks::default()
        };
        if let Some(services) = services {
            let sent: Vec<String> = serde_json::from_str(&services)?;
            let unmapped: Vec<String> = match unmapped {
                Some(u) => serde_json::from_str(&u)?,
                None => Vec::new(),
            };
            marks.to_map = unmapped;
            // No service code sent and no technique from anyone: to define.
            marks.techniques_to_define =
                !marks.to_map.is_empty() || (sent.is_empty() && techniques == "[]");
        }
        if let (Some(how), Some(on), Some(source)) = end {
            let how = SourceEnd::parse(&how)
                .ok_or_else(|| super::cases::corrupt("cases.source_end", &how))?;
            marks.ended = Some(Ended {
                how,
                source,
                on: super::followup::parse_day(&on)?,
            });
        }
        marks.identity_changed = identity
            .map(|d| super::followup::parse_day(&d))
            .transpose()?;
        // A message's sender is `hl7:…`; anything else is an imported file.
        marks.identity_changed_by_file =
            changed_by.filter(|by| !by.starts_with("hl7:")).map(|by| {
                let name = ["import:", "file:"]
                    .iter()
                    .find_map(|p| by.strip_prefix(p))
                    .unwrap_or(&by);
                crate::domain::text::sanitize_line(name)
            });
        if marks.identity_changed.is_some()
            && let Some(before) = before
        {
            let before: [String; 4] = serde_json::from_str(&before)?;
            marks.identity_changes = crate::domain::feed::identity_changes(
                before.each_ref().map(String::as_str),
                now.each_ref().map(String::as_str),
            );
        }
        marks.changed_after_decision = changed.map(|c| serde_json::from_str(&c)).transpose()?;
        marks.lab_unusable = super::lab_unusable::load(conn, id)?;
        out.push((id, marks));
    }
    Ok(out)
}
