//! Who may do what: the one permission table (issue 4). The storage layer
//! enforces it on every write, so no code path can bypass it; the screen
//! uses it to grey out what a role cannot do.

use serde::Serialize;

use super::message::Lang;

/// A person's role in the department.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Chair,
    Radiologist,
    Anaesthetist,
    Radiographer,
    Secretary,
    Viewer,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Chair,
        Role::Radiologist,
        Role::Anaesthetist,
        Role::Radiographer,
        Role::Secretary,
        Role::Viewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Chair => "chair",
            Role::Radiologist => "radiologist",
            Role::Anaesthetist => "anaesthetist",
            Role::Radiographer => "radiographer",
            Role::Secretary => "secretary",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::En, r) => r.as_str(),
            (Lang::Fr, Role::Chair) => "président",
            (Lang::Fr, Role::Radiologist) => "radiologue",
            (Lang::Fr, Role::Anaesthetist) => "anesthésiste",
            (Lang::Fr, Role::Radiographer) => "manipulateur",
            (Lang::Fr, Role::Secretary) => "secrétaire",
            (Lang::Fr, Role::Viewer) => "lecteur",
        }
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
    /// Record the anaesthesia consultation.
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
}

impl Permission {
    pub const ALL: [Permission; 12] = [
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
        }
    }

    /// What recording or correcting one evidence object needs: the
    /// anaesthesia consultation (anaesthetist, chair), the score items
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
            Permission::RecordAnaesthesia => &[Chair, Anaesthetist],
            Permission::RecordEvidence => &[Chair, Radiologist, Radiographer, Secretary],
            Permission::ScoreItems => &[Chair, Radiologist],
            Permission::Notes => &[Chair, Radiologist, Anaesthetist, Radiographer, Secretary],
            Permission::ManageUsers | Permission::ManageRules => &[Chair],
            Permission::Import => &[Chair, Radiographer, Secretary],
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
            Permission::Schedule => &[Chair, Secretary],
        }
    }
}

/// Whether `role` (None: a login the users table does not know) may do `p`.
pub fn allows(role: Option<Role>, p: Permission) -> bool {
    role.is_some_and(|r| p.roles().contains(&r))
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
                ],
            ),
            (
                Radiologist,
                &[RecordEvidence, ScoreItems, Notes, Export, ExportIdentified],
            ),
            (
                Anaesthetist,
                &[RecordAnaesthesia, Notes, Export, ExportIdentified],
            ),
            (
                Radiographer,
                &[RecordEvidence, Notes, Import, Export, ExportIdentified],
            ),
            (
                Secretary,
                &[
                    RecordEvidence,
                    Notes,
                    Import,
                    Export,
                    ExportIdentified,
                    Schedule,
                ],
            ),
            (Viewer, &[Export]),
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

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("admin"), None);
    }
}
