//! Who may do what: the one permission table for writes (issue 4) and the
//! one for reads (issue 11). The storage layer enforces both (every write
//! through `Writer::require`, every read that shows data through
//! `Db::require_read`), so no code path can bypass them; the screen uses
//! them to grey out what a role cannot do.

use serde::Serialize;

use super::message::Lang;

/// A person's role in the department.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Chair,
    Radiologist,
    Anaesthetist,
    Radiographer,
    Secretary,
    Viewer,
    /// The department's data-protection contact: reads the audit trail
    /// identified, writes nothing but the pruning of the read trace after
    /// its retention period (issue 11).
    Auditor,
    /// The pain team's nurse who makes the follow-up calls (issue 15 §2):
    /// records follow-ups, reads the call list and what it shows of the
    /// cases it calls about, nothing else of the dossiers.
    Nurse,
    /// The hospital's systems (issue 16): a service account (`users add
    /// LOGIN --role feed`) that `watch` and `listen` run as. Applies the
    /// messages they receive (bookings, identity updates, lab values, the
    /// project's JSON) and nothing a person does; reads only what a message
    /// is matched on (the patient by IPP, that patient's cases).
    Feed,
}

impl Role {
    pub const ALL: [Role; 9] = [
        Role::Chair,
        Role::Radiologist,
        Role::Anaesthetist,
        Role::Radiographer,
        Role::Secretary,
        Role::Viewer,
        Role::Auditor,
        Role::Nurse,
        Role::Feed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Chair => "chair",
            Role::Radiologist => "radiologist",
            Role::Anaesthetist => "anaesthetist",
            Role::Radiographer => "radiographer",
            Role::Secretary => "secretary",
            Role::Viewer => "viewer",
            Role::Auditor => "auditor",
            Role::Nurse => "nurse",
            Role::Feed => "feed",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The role's name in `lang` (`crate::text::vocab`).
    pub fn label(self, lang: Lang) -> &'static str {
        crate::text::Label::label(self, lang)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something a person may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Validate, postpone, cancel, undo, override.
    Decide,
    /// Record the anaesthesia consultation: an anaesthetist their own,
    /// anyone else allowed as a transcription that names the anaesthetist
    /// (`domain::transcribe`, checked by the storage layer).
    RecordAnaesthesia,
    /// Record other dossier evidence (imaging, biology, coagulation,
    /// consultation and consent, medications).
    RecordEvidence,
    /// Score items (clinical judgements).
    ScoreItems,
    /// Add notes (and keep drafts of what one types).
    Notes,
    ManageUsers,
    ManageRules,
    /// Import a schedule (with the evidence the hospital's systems hold).
    Import,
    /// Export, pseudonymised.
    Export,
    /// Export with names (every role but viewer).
    ExportIdentified,
    /// Record who attended the meeting.
    Attendance,
    /// Settle a schedule field (date, room, operator…) that a source and
    /// the register disagree on.
    Schedule,
    /// Give a postponed case ("to reschedule") a new date, time and room:
    /// it becomes an ordinary pending case of that week (issue 14 §3).
    Reschedule,
    /// Delete the read trace's rows older than the retention period,
    /// behind a checkpoint sealed in the audit trail (`audit prune-reads`):
    /// the auditor's only write.
    PruneReads,
    /// Record what happened on the day of a validated case: performed
    /// (when, by whom, what, how long) or not, with a coded reason
    /// (issue 15 §1).
    RecordOutcome,
    /// Record the immediate complications of a procedure (CIRSE grade).
    RecordComplication,
    /// Record a follow-up call (J+1, M1) and a patient's death (issue 15 §2).
    RecordFollowUp,
    /// `export-cases`: the pseudonymised registry extract (issue 15 §5).
    ExportCases,
    /// Apply a message of the hospital's systems (issue 16): a booking, an
    /// identity update, lab values. The feed's write (and the chair's, to
    /// replay one by hand).
    ApplyFeed,
    /// Map a service code of the hospital's booking system to techniques
    /// (`feeds map-service`): the waiting cases are filled.
    MapServices,
    /// Acknowledge that a patient's identity changed by the hospital's
    /// system was checked (`feeds ack-identity`).
    AckIdentity,
    /// Acknowledge a laboratory's result that could not be used (`feeds
    /// ack-result`).
    AckResult,
}

impl Permission {
    pub const ALL: [Permission; 22] = [
        Permission::Decide,
        Permission::RecordAnaesthesia,
        Permission::RecordEvidence,
        Permission::ScoreItems,
        Permission::Notes,
        Permission::ManageUsers,
        Permission::ManageRules,
        Permission::Import,
        Permission::Export,
        Permission::ExportIdentified,
        Permission::Attendance,
        Permission::Schedule,
        Permission::Reschedule,
        Permission::PruneReads,
        Permission::RecordOutcome,
        Permission::RecordComplication,
        Permission::RecordFollowUp,
        Permission::ExportCases,
        Permission::ApplyFeed,
        Permission::MapServices,
        Permission::AckIdentity,
        Permission::AckResult,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Permission::Decide => "decide",
            Permission::RecordAnaesthesia => "record_anaesthesia",
            Permission::RecordEvidence => "record_evidence",
            Permission::ScoreItems => "score_items",
            Permission::Notes => "notes",
            Permission::ManageUsers => "manage_users",
            Permission::ManageRules => "manage_rules",
            Permission::Import => "import",
            Permission::Export => "export",
            Permission::ExportIdentified => "export_identified",
            Permission::Attendance => "attendance",
            Permission::Schedule => "schedule",
            Permission::Reschedule => "reschedule",
            Permission::PruneReads => "prune_reads",
            Permission::RecordOutcome => "record_outcome",
            Permission::RecordComplication => "record_complication",
            Permission::RecordFollowUp => "record_follow_up",
            Permission::ExportCases => "export_cases",
            Permission::ApplyFeed => "apply_feed",
            Permission::MapServices => "map_services",
            Permission::AckIdentity => "ack_identity",
            Permission::AckResult => "ack_result",
        }
    }

    /// What recording or correcting one evidence object needs: the
    /// anaesthesia consultation (anaesthetist; chair, radiographer,
    /// secretary as a transcription), the score items
    /// (radiologist, chair), the rest of the dossier (radiologist,
    /// radiographer, secretary, chair).
    pub fn for_evidence(kind: crate::domain::record::EvidenceKind) -> Permission {
        use crate::domain::record::EvidenceKind;
        match kind {
            EvidenceKind::AnaesthesiaConsult => Permission::RecordAnaesthesia,
            EvidenceKind::Scores => Permission::ScoreItems,
            _ => Permission::RecordEvidence,
        }
    }

    /// The roles allowed, in the order of [`Role::ALL`].
    pub fn roles(self) -> &'static [Role] {
        use Role::*;
        match self {
            Permission::Decide => &[Chair],
            Permission::RecordAnaesthesia => &[Chair, Anaesthetist, Radiographer, Secretary],
            Permission::RecordEvidence => &[Chair, Radiologist, Radiographer, Secretary],
            Permission::ScoreItems => &[Chair, Radiologist],
            Permission::Notes => &[Chair, Radiologist, Anaesthetist, Radiographer, Secretary],
            Permission::ManageUsers | Permission::ManageRules => &[Chair],
            // The feed imports the project's JSON dropped in its folder.
            Permission::Import => &[Chair, Radiographer, Secretary, Feed],
            Permission::Export => &[
                Chair,
                Radiologist,
                Anaesthetist,
                Radiographer,
                Secretary,
                Viewer,
            ],
            Permission::ExportIdentified => {
                &[Chair, Radiologist, Anaesthetist, Radiographer, Secretary]
            }
            Permission::Attendance => &[Chair],
            Permission::Schedule | Permission::Reschedule => &[Chair, Secretary],
            Permission::PruneReads => &[Auditor],
            Permission::RecordOutcome => &[Chair, Radiologist, Radiographer, Secretary],
            Permission::RecordComplication => &[Chair, Radiologist, Anaesthetist],
            Permission::RecordFollowUp => &[Chair, Radiologist, Anaesthetist, Nurse],
            Permission::ExportCases => &[Chair],
            Permission::ApplyFeed => &[Chair, Feed],
            Permission::MapServices => &[Chair],
            Permission::AckIdentity => &[Chair, Radiologist, Anaesthetist, Radiographer, Secretary],
            Permission::AckResult => &[Chair, Radiologist, Anaesthetist, Radiographer, Secretary],
        }
    }
}

/// Whether `role` (None: a login the users table does not know) may do `p`.
pub fn allows(role: Option<Role>, p: Permission) -> bool {
    role.is_some_and(|r| p.roles().contains(&r))
}

/// Something that shows data: every command and view that reads the file
/// has a row here (later issues add rows for what they add).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Read {
    /// A week's cases: `check` (text and JSON) and the screen's board.
    Week,
    /// One case's detail on the screen (its dossier, notes, decisions).
    CaseDetail,
    /// An export (`export`, the screen's export form): the programme or
    /// the minutes. Also a write (`Permission::Export`, audited).
    Export,
    /// The audit listing: `audit [--case] [--since] [--format]`.
    AuditList,
    /// `audit --verify [--anchor]`: hashes and row counts, no patient data.
    AuditVerify,
    /// The read trace: `audit --reads [--case] [--login] [--since]`.
    AuditReads,
    /// The import report (`import`, `import --dry-run`) and `resolve`:
    /// shown only to who may import (the write checks it too).
    ImportReport,
    /// `rules list` and the screen's rules table: no patient data.
    RulesList,
    /// `users list`: the staff's logins, names and roles, no patient data.
    UsersList,
    /// The chase list (`tasks`, issue 14): the care team's, identified; a
    /// viewer and the auditor read nothing of it.
    Tasks,
    /// A case's instruction sheet for the patient and the ward
    /// (`instructions`, issue 14 §2): the care team's, identified; a viewer
    /// and the auditor read nothing of it.
    Instructions,
    /// The follow-up call list (`follow-ups`, `F`, issue 15 §3) and, for
    /// each case on it, the phone-call facts (procedure, date, operator,
    /// pain before, the follow-ups recorded): the nurse's whole sight of
    /// the dossiers.
    FollowUps,
    /// The committee's indicators (`report`, `S`, issue 15 §4):
    /// aggregates; pseudonymised, a cell under 5 patients reads "< 5".
    Report,
    /// `export-cases`: the registry extract, always pseudonymised with a
    /// key of its own (issue 15 §5).
    ExportCases,
    /// What a message of the hospital's systems is matched on (issue 16):
    /// the patient by IPP, that patient's cases to update. The feed's only
    /// read; shown to nobody (the ACK says nothing of the patient).
    FeedMatch,
    /// The laboratory results that reached no case (`feeds held`): no case
    /// yet, a patient the file does not hold, an identity that differs;
    /// with the PID as sent and the values: results of patients who may
    /// not be the committee's (a laboratory's feed is not filtered), so
    /// the physicians' only (they judge an identity that differs).
    HeldResults,
}

/// How a role sees what it may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sight {
    /// As stored: names, birth dates, IPP, free text.
    Identified,
    /// As `docs/export-format.md` pseudonymises: initials, age, keyed
    /// pseudonyms of the IPP and the scheduling id, no free text.
    Pseudonymised,
}

impl Read {
    pub const ALL: [Read; 16] = [
        Read::Week,
        Read::CaseDetail,
        Read::Export,
        Read::AuditList,
        Read::AuditVerify,
        Read::AuditReads,
        Read::ImportReport,
        Read::RulesList,
        Read::UsersList,
        Read::Tasks,
        Read::Instructions,
        Read::FollowUps,
        Read::Report,
        Read::ExportCases,
        Read::FeedMatch,
        Read::HeldResults,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Read::Week => "week",
            Read::CaseDetail => "case_detail",
            Read::Export => "export",
            Read::AuditList => "audit_list",
            Read::AuditVerify => "audit_verify",
            Read::AuditReads => "audit_reads",
            Read::ImportReport => "import_report",
            Read::RulesList => "rules_list",
            Read::UsersList => "users_list",
            Read::Tasks => "tasks",
            Read::Instructions => "instructions",
            Read::FollowUps => "follow_ups",
            Read::Report => "report",
            Read::ExportCases => "export_cases",
            Read::FeedMatch => "feed_match",
            Read::HeldResults => "held_results",
        }
    }

    /// The roles that read it as stored, in the order of [`Role::ALL`].
    pub fn identified(self) -> &'static [Role] {
        use Role::*;
        const CARE: &[Role] = &[Chair, Radiologist, Anaesthetist, Radiographer, Secretary];
        // Every person: the feed is a service account, it reads no list.
        const EVERYONE: &[Role] = &[
            Chair,
            Radiologist,
            Anaesthetist,
            Radiographer,
            Secretary,
            Viewer,
            Auditor,
            Nurse,
        ];
        match self {
            Read::Week | Read::CaseDetail | Read::Export | Read::Tasks | Read::Instructions => CARE,
            Read::HeldResults => &[Chair, Radiologist, Anaesthetist],
            Read::AuditList | Read::AuditReads => &[Chair, Auditor],
            Read::AuditVerify | Read::RulesList | Read::UsersList => EVERYONE,
            // Who imports by hand (the feed's answer is a line of counts).
            Read::ImportReport => &[Chair, Radiographer, Secretary],
            Read::FollowUps | Read::Report => &[
                Chair,
                Radiologist,
                Anaesthetist,
                Radiographer,
                Secretary,
                Nurse,
            ],
            Read::ExportCases => Permission::ExportCases.roles(),
            Read::FeedMatch => Permission::ApplyFeed.roles(),
        }
    }

    /// The roles that read it pseudonymised only.
    pub fn pseudonymised(self) -> &'static [Role] {
        use Role::*;
        match self {
            // The auditor sees the committee's week as a viewer does: the
            // trail, not the dossiers, is what it reads identified.
            Read::Week | Read::CaseDetail => &[Viewer, Auditor],
            // An export is also a write, not one the auditor may make.
            Read::Export => &[Viewer],
            // Aggregates: small cells read "< 5".
            Read::Report => &[Viewer, Auditor],
            Read::AuditList
            | Read::AuditVerify
            | Read::AuditReads
            | Read::ImportReport
            | Read::RulesList
            | Read::UsersList
            | Read::Tasks
            | Read::Instructions
            | Read::FollowUps
            | Read::ExportCases
            | Read::FeedMatch
            | Read::HeldResults => &[],
        }
    }
}

/// How `role` (None: a login the users table does not know) sees `r`;
/// None: it may not read it. A login the file does not know reads nothing.
pub fn reads(role: Option<Role>, r: Read) -> Option<Sight> {
    let role = role?;
    if r.identified().contains(&role) {
        Some(Sight::Identified)
    } else if r.pseudonymised().contains(&role) {
        Some(Sight::Pseudonymised)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The issue's table, written out role by role, against `allows`.
    #[test]
    fn the_permission_table_is_the_issues() {
        use Permission::*;
        use Role::*;
        let expected: &[(Role, &[Permission])] = &[
            (
                Chair,
                &[
                    Decide,
                    RecordAnaesthesia,
                    RecordEvidence,
                    ScoreItems,
                    Notes,
                    ManageUsers,
                    ManageRules,
                    Import,
                    Export,
                    ExportIdentified,
                    Attendance,
                    Schedule,
                    Reschedule,
                    RecordOutcome,
                    RecordComplication,
                    RecordFollowUp,
                    ExportCases,
                    ApplyFeed,
                    MapServices,
                    AckIdentity,
                    AckResult,
                ],
            ),
            (
                Radiologist,
                &[
                    RecordEvidence,
                    ScoreItems,
                    Notes,
                    Export,
                    ExportIdentified,
                    RecordOutcome,
                    RecordComplication,
                    RecordFollowUp,
                    AckIdentity,
                    AckResult,
                ],
            ),
            (
                Anaesthetist,
                &[
                    RecordAnaesthesia,
                    Notes,
                    Export,
                    ExportIdentified,
                    RecordComplication,
                    RecordFollowUp,
                    AckIdentity,
                    AckResult,
                ],
            ),
            (
                Radiographer,
                &[
                    RecordAnaesthesia,
                    RecordEvidence,
                    Notes,
                    Import,
                    Export,
                    ExportIdentified,
                    RecordOutcome,
                    AckIdentity,
                    AckResult,
                ],
            ),
            (
                Secretary,
                &[
                    RecordAnaesthesia,
                    RecordEvidence,
                    Notes,
                    Import,
                    Export,
                    ExportIdentified,
                    Schedule,
                    Reschedule,
                    RecordOutcome,
                    AckIdentity,
                    AckResult,
                ],
            ),
            (Viewer, &[Export]),
            (Auditor, &[PruneReads]),
            (Nurse, &[RecordFollowUp]),
            (Feed, &[Import, ApplyFeed]),
        ];
        for (role, allowed) in expected {
            for p in Permission::ALL {
                assert_eq!(
                    allows(Some(*role), p),
                    allowed.contains(&p),
                    "{role} {}",
                    p.as_str()
                );
            }
        }
        for p in Permission::ALL {
            assert!(!allows(None, p), "an unknown login may not {}", p.as_str());
        }
    }

    /// The read table, written out role by role: I identified, P
    /// pseudonymised, - refused.
    #[test]
    fn the_read_table_is_the_issues() {
        use Role::*;
        // Week, CaseDetail, Export, AuditList, AuditVerify, AuditReads,
        // ImportReport, RulesList, UsersList, Tasks, Instructions,
        // FollowUps, Report, ExportCases, FeedMatch.
        let expected: &[(Option<Role>, &str)] = &[
            (Some(Chair), "IIIIIIIIIIIIIII"),
            (Some(Radiologist), "III-I--IIIIII--"),
            (Some(Anaesthetist), "III-I--IIIIII--"),
            (Some(Radiographer), "III-I-IIIIIII--"),
            (Some(Secretary), "III-I-IIIIIII--"),
            (Some(Viewer), "PPP-I--II---P--"),
            (Some(Auditor), "PP-III-II---P--"),
            (Some(Nurse), "----I--II--II--"),
            (Some(Feed), "--------------I"),
            (None, "---------------"),
        ];
        for (role, row) in expected {
            for (r, want) in Read::ALL.into_iter().zip(row.chars()) {
                let got = match reads(*role, r) {
                    Some(Sight::Identified) => 'I',
                    Some(Sight::Pseudonymised) => 'P',
                    None => '-',
                };
                assert_eq!(got, want, "{role:?} {}", r.as_str());
            }
        }
        for r in Read::ALL {
            for role in Role::ALL {
                assert!(
                    !(r.identified().contains(&role) && r.pseudonymised().contains(&role)),
                    "{role} {} is in both columns",
                    r.as_str()
                );
            }
        }
    }

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("admin"), None);
    }
}
