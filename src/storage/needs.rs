//! What each write of the storage layer needs, for [`Db::write_as`]
//! (issue 12, point 5): the same permission, action and case as the
//! `Writer::require` the write itself begins with (a test runs each write
//! refused and compares its audit row with the need).
//!
//! [`Db::write_as`]: super::Db::write_as

use super::guard::Need;
use crate::domain::record::EvidenceKind;
use crate::domain::reimport::Field;
use crate::domain::roles::Permission;

/// `decisions::record`: validate, postpone, cancel, undo.
pub fn decide(case_id: i64) -> Need {
    Need::new(Permission::Decide, "decide", Some(case_id))
}

/// `cases::set_evidence`: one evidence object, by its own permission.
pub fn evidence(case_id: i64, kind: EvidenceKind) -> Need {
    Need::new(
        Permission::for_evidence(kind),
        format!("evidence.{}", kind.as_str()),
        Some(case_id),
    )
}

/// `reschedule::apply`.
pub fn reschedule(case_id: i64) -> Need {
    Need::new(
        Permission::Reschedule,
        super::reschedule::ACTION,
        Some(case_id),
    )
}

/// `procedure::set_access`.
pub fn case_access(case_id: i64) -> Need {
    Need::new(Permission::RecordEvidence, "case.access", Some(case_id))
}

/// `notes::add`.
pub fn note(case_id: i64) -> Need {
    Need::new(Permission::Notes, "note.add", Some(case_id))
}

/// `drafts::save`.
pub fn draft_save(case_id: i64) -> Need {
    Need::new(Permission::Notes, "draft.save", Some(case_id))
}

/// `drafts::delete`.
pub fn draft_delete(case_id: i64) -> Need {
    Need::new(Permission::Notes, "draft.delete", Some(case_id))
}

/// `preferences::set`.
pub fn preference() -> Need {
    Need::new(super::preferences::PERMISSION, "preference.set", None)
}

/// `cases::save` (an import).
pub fn import() -> Need {
    Need::new(Permission::Import, "import", None)
}

/// `synthetic::generate` (`demo --synthetic`).
pub fn synthetic() -> Need {
    Need::new(Permission::Import, "demo.synthetic", None)
}

/// `reimport::resolve` and `reimport::resolve_shown`.
pub fn resolve(case_id: i64, field: Field) -> Need {
    Need::new(
        super::reimport::permission(field),
        format!("resolve.{}", field.as_str()),
        Some(case_id),
    )
}

/// `exports::set_meeting`.
pub fn attendance() -> Need {
    Need::new(Permission::Attendance, "attendance.set", None)
}

/// `rules::set`.
pub fn rules_set() -> Need {
    Need::new(Permission::ManageRules, "rules.set", None)
}

/// `rules::set_technique_risk`.
pub fn rules_risk() -> Need {
    Need::new(Permission::ManageRules, "rules.risk", None)
}

/// `protocol::approve`.
pub fn rules_approve() -> Need {
    Need::new(
        Permission::ManageRules,
        super::protocol::APPROVE_ACTION,
        None,
    )
}

/// `zone::set_timezone`.
pub fn set_timezone() -> Need {
    Need::new(Permission::ManageRules, super::zone::ACTION, None)
}

/// `users::add`.
pub fn user_add() -> Need {
    Need::new(Permission::ManageUsers, "user.add", None)
}

/// `users::set_role`.
pub fn user_set_role() -> Need {
    Need::new(Permission::ManageUsers, "user.set_role", None)
}

/// `users::set_name`.
pub fn user_set_name() -> Need {
    Need::new(Permission::ManageUsers, "user.set_name", None)
}

/// `users::disable`.
pub fn user_disable() -> Need {
    Need::new(Permission::ManageUsers, "user.disable", None)
}

/// `exports::record_start` and `exports::record`: names need more than
/// a pseudonymised export.
pub fn export(pseudonymised: bool) -> Need {
    let permission = if pseudonymised {
        Permission::Export
    } else {
        Permission::ExportIdentified
    };
    Need::new(permission, "export", None)
}

/// What recording the export `r` needs: its own permission when it has
/// one (`export-cases`: `export_cases`), else [`export`]'s.
pub fn export_of(r: &super::exports::ExportRecord) -> Need {
    match r.permission {
        Some(p) => Need::new(p, "export", None),
        None => export(r.pseudonymised),
    }
}

/// `followup::record`: a follow-up call of the case.
pub fn follow_up(case_id: i64) -> Need {
    Need::new(
        Permission::RecordFollowUp,
        super::followup::ACTION,
        Some(case_id),
    )
}

/// `followup::record_death`: the same roles as a follow-up call (those
/// who learn of it on the phone or at the bedside).
pub fn death() -> Need {
    Need::new(Permission::RecordFollowUp, super::followup::DEATH, None)
}

/// `operators::link`.
pub fn link_operator() -> Need {
    Need::new(Permission::ManageUsers, super::operators::LINK, None)
}

/// `operators::unlink`.
pub fn unlink_operator() -> Need {
    Need::new(Permission::ManageUsers, super::operators::UNLINK, None)
}

/// `audit prune-reads`.
pub fn prune_reads() -> Need {
    Need::new(Permission::PruneReads, super::audit::prune::ACTION, None)
}

#[cfg(test)]
#[path = "needs_tests.rs"]
mod tests;

/// `feed::apply`: a message of the hospital's systems.
pub fn feed_apply() -> Need {
    Need::new(Permission::ApplyFeed, super::feed::ACTION, None)
}

/// `feed_services::map_service`.
pub fn map_service() -> Need {
    Need::new(
        Permission::MapServices,
        super::feed_services::MAP_ACTION,
        None,
    )
}

/// `lab_unusable::acknowledge`.
pub fn ack_result() -> Need {
    Need::new(Permission::AckResult, super::lab_unusable::ACK_ACTION, None)
}

/// `feed_services::ack_identity`.
pub fn ack_identity() -> Need {
    Need::new(
        Permission::AckIdentity,
        super::feed_services::ACK_ACTION,
        None,
    )
}
