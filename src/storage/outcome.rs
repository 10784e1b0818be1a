//! After the committee (issue 15): the tables of what happened on the day,
//! the follow-up calls, the patients who died and the operators' logins.
//! The rules of what may be recorded are `crate::domain::outcome`'s.

/// Migration 22. Every table is tracked by the audit trail's cross-check
/// (`audit_row`, `audit::live::TRACKED`).
pub const SCHEMA: &str = "
    -- The users table rebuilt with the pain team's nurse (issue 15 §2).
    CREATE TABLE users_new (
        login      TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        role       TEXT NOT NULL CHECK (role IN
                     ('chair', 'radiologist', 'anaesthetist', 'radiographer', 'secretary', 'viewer',
                      'auditor', 'nurse')),
        active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        created_at TEXT NOT NULL,
        version    INTEGER NOT NULL DEFAULT 1,
        audit_row  INTEGER
    ) STRICT;
    INSERT INTO users_new (login, name, role, active, created_at, version, audit_row)
      SELECT login, name, role, active, created_at, version, audit_row FROM users;
    DROP TABLE users;
    ALTER TABLE users_new RENAME TO users;

    -- The committee's postponements and cancellations get the coded reasons
    -- of the day (the free-text reason stays).
    ALTER TABLE decisions ADD COLUMN reason_code TEXT CHECK (reason_code IN
      ('missing_test', 'drug_not_stopped', 'consent', 'anaesthesia', 'patient_condition',
       'patient_deceased', 'equipment', 'scheduling', 'patient_declined', 'other'));

    -- What happened on the day of a validated case: one row per case.
    CREATE TABLE outcomes (
        case_id      INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
        performed    INTEGER NOT NULL CHECK (performed IN (0, 1)),
        -- Performed: local YYYY-MM-DDTHH:MM, operator, JSON array of
        -- technique words, anaesthesia word, minutes.
        performed_at TEXT,
        operator     TEXT,
        techniques   TEXT CHECK (techniques IS NULL OR json_valid(techniques)),
        anaesthesia  TEXT,
        duration_min INTEGER CHECK (duration_min IS NULL OR duration_min > 0),
        -- Not performed: the coded reason, and its text (`other` needs one).
        reason       TEXT CHECK (reason IS NULL OR reason IN
          ('missing_test', 'drug_not_stopped', 'consent', 'anaesthesia', 'patient_condition',
           'patient_deceased', 'equipment', 'scheduling', 'patient_declined', 'other')),
        reason_text  TEXT,
        -- The immediate complication (CIRSE 1 to 6), recorded apart.
        complication_grade INTEGER CHECK (complication_grade BETWEEN 1 AND 6),
        complication_text  TEXT,
        recorded_at  TEXT NOT NULL,
        recorded_by  TEXT NOT NULL,
        version      INTEGER NOT NULL DEFAULT 1,
        audit_row    INTEGER,
        CHECK ((performed = 1 AND performed_at IS NOT NULL AND techniques IS NOT NULL
                  AND anaesthesia IS NOT NULL AND reason IS NULL)
            OR (performed = 0 AND reason IS NOT NULL AND performed_at IS NULL))
    ) STRICT;

    -- The follow-up calls: one row per case and kind, the last call's
    -- answers and the number of attempts.
    CREATE TABLE follow_ups (
        case_id    INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        kind       TEXT NOT NULL CHECK (kind IN ('j1', 'm1')),
        called_at  TEXT NOT NULL,          -- local YYYY-MM-DDTHH:MM
        reached    INTEGER NOT NULL CHECK (reached IN (0, 1)),
        pain       INTEGER CHECK (pain BETWEEN 0 AND 10),
        analgesics TEXT CHECK (analgesics IN ('stopped', 'decreased', 'unchanged', 'increased')),
        morphine_mg_day REAL CHECK (morphine_mg_day >= 0),
        complication_grade INTEGER CHECK (complication_grade BETWEEN 1 AND 6),
        complication_text  TEXT,
        attempts   INTEGER NOT NULL DEFAULT 1 CHECK (attempts >= 1),
        recorded_at TEXT NOT NULL,
        recorded_by TEXT NOT NULL,
        version    INTEGER NOT NULL DEFAULT 1,
        audit_row  INTEGER,
        PRIMARY KEY (case_id, kind),
        CHECK (reached = 1 OR (pain IS NULL AND analgesics IS NULL AND complication_grade IS NULL))
    ) STRICT;

    -- A patient who died, recorded once: they leave the call lists, the
    -- chase list and the completion denominators.
    CREATE TABLE deaths (
        patient_id  INTEGER PRIMARY KEY REFERENCES patients(id),
        died_on     TEXT NOT NULL,         -- YYYY-MM-DD
        recorded_at TEXT NOT NULL,
        recorded_by TEXT NOT NULL,
        audit_row   INTEGER
    ) STRICT;

    -- cases.operator is free text: a chair maps each name (compared by
    -- `operator_key`: NFC, case and spaces folded) to a user's login.
    CREATE TABLE operator_links (
        operator_key TEXT PRIMARY KEY,
        operator     TEXT NOT NULL,        -- as the chair typed it
        login        TEXT NOT NULL,
        linked_at    TEXT NOT NULL,
        linked_by    TEXT NOT NULL,
        audit_row    INTEGER
    ) STRICT;";

/// Migration 23: the performed procedures by the day they were done, for
/// the call list's range scan (`followup::inputs`).
pub const BY_PERFORMED_AT: &str = "
    CREATE INDEX outcomes_by_performed_at ON outcomes (performed_at) WHERE performed = 1;";
