-- ir-committee database schema (version 1).
-- The single source of the schema: embedded in the binary and applied on
-- first open. Later changes are numbered migrations (src/storage/migrate.rs)
-- tracked with PRAGMA user_version.

-- Key/value facts about this file: time zone, demo marker, creation.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE patients (
    id          INTEGER PRIMARY KEY,
    ipp         TEXT NOT NULL UNIQUE,
    last_name   TEXT NOT NULL,
    first_name  TEXT NOT NULL,
    birth_date  TEXT NOT NULL,            -- YYYY-MM-DD
    sex         TEXT NOT NULL CHECK (sex IN ('F', 'M', 'X')),
    -- Lower-case, accent-free "last first ipp" for search ("helene" finds "Hélène").
    search_key  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE cases (
    id            INTEGER PRIMARY KEY,
    external_id   TEXT NOT NULL UNIQUE,
    patient_id    INTEGER NOT NULL REFERENCES patients(id),
    scheduled_at  TEXT NOT NULL,          -- local YYYY-MM-DDTHH:MM
    room          TEXT NOT NULL,
    operator      TEXT NOT NULL,
    techniques    TEXT NOT NULL,          -- JSON array of technique words
    target        TEXT NOT NULL,
    anaesthesia   TEXT NOT NULL,
    bleeding_risk TEXT CHECK (bleeding_risk IN ('low', 'high')),  -- override
    duration_min  INTEGER,
    pain_vas      INTEGER CHECK (pain_vas BETWEEN 0 AND 10),
    life_expectancy_over_6_months INTEGER,
    status        TEXT NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'validated', 'postponed', 'cancelled')),
    source        TEXT NOT NULL,          -- where the case came from (import file, demo)
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
) STRICT;

-- A week's query is a range scan on this index, whatever the file's history.
CREATE INDEX cases_by_time ON cases(scheduled_at);
CREATE INDEX cases_by_patient ON cases(patient_id);

-- One row per evidence object of a case, stored as the interchange format's
-- JSON and edited on its own. No row = missing.
CREATE TABLE evidence (
    case_id    INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('consultation', 'anaesthesia_consult',
                 'imaging', 'biology', 'coagulation', 'medications', 'scores')),
    data       TEXT NOT NULL CHECK (json_valid(data)),
    source     TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (case_id, kind)
) STRICT, WITHOUT ROWID;

CREATE TABLE notes (
    id      INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    at      TEXT NOT NULL,
    author  TEXT NOT NULL,
    body    TEXT NOT NULL,
    source  TEXT NOT NULL
) STRICT;
CREATE INDEX notes_by_case ON notes(case_id);

-- The committee's decisions, newest last; cases.status mirrors the latest.
CREATE TABLE decisions (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    at            TEXT NOT NULL,
    by_login      TEXT NOT NULL,
    decision      TEXT NOT NULL CHECK (decision IN ('validated', 'postponed', 'cancelled', 'undone')),
    reason        TEXT,
    to_week       TEXT,
    override_justification TEXT
) STRICT;
CREATE INDEX decisions_by_case ON decisions(case_id);

-- Every write, in the same transaction as the write itself.
CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,              -- UTC, RFC 3339
    login     TEXT NOT NULL,              -- login of the real uid
    action    TEXT NOT NULL,
    case_id   INTEGER,                    -- no foreign key: the trail outlives rows
    old_value TEXT,
    new_value TEXT,
    outcome   TEXT NOT NULL DEFAULT 'done' CHECK (outcome IN ('done', 'refused'))
) STRICT;
CREATE INDEX audit_by_case ON audit(case_id);

-- The dossier rules: every threshold, validity window and drug hold.
-- subject: a technique, a drug, an anaesthesia, an access, or '*' for any.
-- risk: 'low', 'high' or '*' for either bleeding risk.
-- For rule 'technique.bleeding_risk' the risk column is the technique's risk.
CREATE TABLE rules (
    rule     TEXT NOT NULL,
    subject  TEXT NOT NULL DEFAULT '*',
    risk     TEXT NOT NULL DEFAULT '*' CHECK (risk IN ('low', 'high', '*')),
    value    REAL,
    unit     TEXT NOT NULL CHECK (unit IN ('days', 'hours', 'minutes', 'g_l', 'ratio', 'ml_min', 'flag')),
    severity TEXT NOT NULL CHECK (severity IN ('blocking', 'advisory', 'none')),
    source   TEXT NOT NULL,
    version  INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (rule, subject, risk)
) STRICT;

-- Bleeding risk per technique (SIR 2019; domain.md §2). Combined = the highest.
INSERT INTO rules (rule, subject, risk, value, unit, severity, source) VALUES
 ('technique.bleeding_risk', 'vertebroplasty',             'high', NULL, 'flag', 'none', 'SIR 2019: spine'),
 ('technique.bleeding_risk', 'kyphoplasty',                'high', NULL, 'flag', 'none', 'SIR 2019: spine'),
 ('technique.bleeding_risk', 'cementoplasty',              'high', NULL, 'flag', 'none', 'SIR 2019, by analogy (extra-spinal)'),
 ('technique.bleeding_risk', 'osteosynthesis',             'high', NULL, 'flag', 'none', 'SIR 2019, by analogy'),
 ('technique.bleeding_risk', 'radiofrequency_ablation',    'high', NULL, 'flag', 'none', 'SIR 2019: ablations'),
 ('technique.bleeding_risk', 'cryoablation',               'high', NULL, 'flag', 'none', 'SIR 2019: ablations'),
 ('technique.bleeding_risk', 'microwave_ablation',         'high', NULL, 'flag', 'none', 'SIR 2019: ablations'),
 ('technique.bleeding_risk', 'laser_ablation',             'high', NULL, 'flag', 'none', 'SIR 2019: ablations'),
 ('technique.bleeding_risk', 'focused_ultrasound',         'high', NULL, 'flag', 'none', 'SIR 2019: ablations'),
 ('technique.bleeding_risk', 'neurolysis',                 'high', NULL, 'flag', 'none', 'local default (not listed by SIR)'),
 ('technique.bleeding_risk', 'embolisation',               'high', NULL, 'flag', 'none', 'SIR 2019: per case, default high'),
 ('technique.bleeding_risk', 'tunnelled_pleural_drain',    'low',  NULL, 'flag', 'none', 'SIR 2019: tunnelled drainage catheter'),
 ('technique.bleeding_risk', 'tunnelled_peritoneal_drain', 'low',  NULL, 'flag', 'none', 'SIR 2019: tunnelled drainage catheter');

-- A case's own bleeding risk may only raise its techniques' risk, except
-- where every technique's risk is judged per case (domain.md §3 item 3).
-- An arterial technique's low-risk INR threshold depends on its access
-- (coagulation.inr_max_arterial); with none recorded, the strictest applies
-- and an advisory asks for it. (Migration 9 adds these rows to older files.)
INSERT INTO rules (rule, subject, risk, value, unit, severity, source) VALUES
 ('technique.risk_per_case',   'embolisation', '*', NULL, 'flag', 'none',     'SIR 2019: risk per case (access, sheath, target)'),
 ('technique.arterial_access', 'embolisation', '*', NULL, 'flag', 'advisory', 'SIR 2019: INR threshold by access; none recorded: the strictest');

-- Default duration per technique, for exports' end times (local default).
INSERT INTO rules (rule, subject, risk, value, unit, severity, source) VALUES
 ('technique.duration', 'vertebroplasty',             '*', 60,  'minutes', 'none', 'local default'),
 ('technique.duration', 'kyphoplasty',                '*', 75,  'minutes', 'none', 'local default'),
 ('technique.duration', 'cementoplasty',              '*', 60,  'minutes', 'none', 'local default'),
 ('technique.duration', 'osteosynthesis',             '*', 90,  'minutes', 'none', 'local default'),
 ('technique.duration', 'radiofrequency_ablation',    '*', 90,  'minutes', 'none', 'local default'),
 ('technique.duration', 'cryoablation',               '*', 120, 'minutes', 'none', 'local default'),
 ('technique.duration', 'microwave_ablation',         '*', 90,  'minutes', 'none', 'local default'),
 ('technique.duration', 'laser_ablation',             '*', 90,  'minutes', 'none', 'local default'),
 ('technique.duration', 'focused_ultrasound',         '*', 180, 'minutes', 'none', 'local default'),
 ('technique.duration', 'neurolysis',                 '*', 60,  'minutes', 'none', 'local default'),
 ('technique.duration', 'embolisation',               '*', 120, 'minutes', 'none', 'local default'),
 ('technique.duration', 'tunnelled_pleural_drain',    '*', 45,  'minutes', 'none', 'local default'),
 ('technique.duration', 'tunnelled_peritoneal_drain', '*', 45,  'minutes', 'none', 'local default');

-- Dossier items (domain.md §3).
INSERT INTO rules (rule, subject, risk, value, unit, severity, source) VALUES
 ('imaging.max_age',            '*',            '*',    42,   'days',   'blocking', 'local default'),
 ('biology.max_age',            '*',            '*',    30,   'days',   'blocking', 'ACR manual on contrast media: 30-day interval in outpatients'),
 ('biology.neutrophils_min',    '*',            '*',    1.0,  'g_l',    'blocking', 'référentiel (leucopenia); local default'),
 ('biology.sepsis',             '*',            '*',    NULL, 'flag',   'blocking', 'référentiel: ongoing sepsis'),
 ('biology.egfr_block_below',   'embolisation', '*',    30,   'ml_min', 'blocking', 'ESUR 2018, intra-arterial first pass; local default'),
 ('biology.egfr_advise_below',  'embolisation', '*',    45,   'ml_min', 'advisory', 'ESUR 2018: prophylaxis to plan; local default'),
 ('coagulation.max_age',        '*',            'high', 7,    'days',   'blocking', 'local default'),
 ('coagulation.max_age',        '*',            'low',  30,   'days',   'blocking', 'local default'),
 ('coagulation.inr_max',        '*',            'high', 1.5,  'ratio',  'blocking', 'SIR 2019 (Patel, JVIR 2019;30:1168)'),
 ('coagulation.inr_max',        '*',            'low',  2.0,  'ratio',  'blocking', 'SIR 2019 (Patel, JVIR 2019;30:1168)'),
 ('coagulation.inr_max_arterial', 'femoral',    'low',  1.8,  'ratio',  'blocking', 'SIR 2019 (Patel, JVIR 2019;30:1168): low-risk arterial, femoral access'),
 ('coagulation.inr_max_arterial', 'radial',     'low',  2.2,  'ratio',  'blocking', 'SIR 2019 (Patel, JVIR 2019;30:1168): low-risk arterial, radial access'),
 ('coagulation.platelets_min',  '*',            'high', 50,   'g_l',    'blocking', 'SIR 2019 (Patel, JVIR 2019;30:1168)'),
 ('coagulation.platelets_min',  '*',            'low',  20,   'g_l',    'blocking', 'SIR 2019 (Patel, JVIR 2019;30:1168)'),
 ('anaesthesia.required',       'general',            '*', NULL, 'flag', 'blocking', 'CSP D6124-92'),
 ('anaesthesia.required',       'conscious_sedation', '*', NULL, 'flag', 'blocking', 'CSP D6124-92'),
 ('anaesthesia.required',       'regional',           '*', NULL, 'flag', 'blocking', 'CSP D6124-92'),
 ('anaesthesia.min_days_before', '*',           '*',    2,    'days',   'blocking', 'CSP D6124-92 (plusieurs jours avant)'),
 ('anaesthesia.max_age',        '*',            '*',    30,   'days',   'blocking', 'SFAR practice; local default'),
 ('consent.required',           '*',            '*',    NULL, 'flag',   'blocking', 'référentiel; HAS 2012'),
 ('delay.min_hours',            '*',            '*',    48,   'hours',  'blocking', 'référentiel (> 48 h avant l''acte); local default'),
 ('delay.advise_below',         '*',            '*',    14,   'days',   'advisory', 'référentiel (délai de réflexion, 2 semaines environ)');

-- Anticoagulants and antiplatelets: last intake J−n (days) or hours before.
-- medication.hold: the usual hold; medication.hold_renal applies instead when
-- CrCl < medication.renal_threshold; medication.crcl_min: a CrCl is needed and
-- below it specialist advice is required. (Version 1's rows: a later migration,
-- `DRUG_HOLDS` in src/storage/rules.rs, makes the low-risk DOAC holds J−1
-- before 12:00 and the aspirin advisory one row at high risk.)
INSERT INTO rules (rule, subject, risk, value, unit, severity, source) VALUES
 ('medication.hold', 'apixaban',          'high', 3,  'days',  'blocking', 'GIHP 2015'),
 ('medication.hold', 'rivaroxaban',       'high', 3,  'days',  'blocking', 'GIHP 2015'),
 ('medication.hold', 'edoxaban',          'high', 3,  'days',  'blocking', 'GIHP 2015'),
 ('medication.hold', 'dabigatran',        'high', 4,  'days',  'blocking', 'GIHP 2015 (CrCl ≥ 50)'),
 ('medication.hold_renal', 'dabigatran',  'high', 5,  'days',  'blocking', 'GIHP 2015 (CrCl 30–49)'),
 ('medication.renal_threshold', 'dabigatran', '*', 50, 'ml_min', 'none',  'GIHP 2015'),
 ('medication.crcl_min', 'apixaban',      '*',    30, 'ml_min', 'blocking', 'GIHP 2015: specialist advice below'),
 ('medication.crcl_min', 'rivaroxaban',   '*',    30, 'ml_min', 'blocking', 'GIHP 2015: specialist advice below'),
 ('medication.crcl_min', 'edoxaban',      '*',    30, 'ml_min', 'blocking', 'GIHP 2015: specialist advice below'),
 ('medication.crcl_min', 'dabigatran',    '*',    30, 'ml_min', 'blocking', 'GIHP 2015: specialist advice below'),
 ('medication.hold', 'apixaban',          'low',  24, 'hours', 'blocking', 'GIHP 2015: skip the evening before and the morning of'),
 ('medication.hold', 'rivaroxaban',       'low',  24, 'hours', 'blocking', 'GIHP 2015: skip the evening before and the morning of'),
 ('medication.hold', 'edoxaban',          'low',  24, 'hours', 'blocking', 'GIHP 2015: skip the evening before and the morning of'),
 ('medication.hold', 'dabigatran',        'low',  24, 'hours', 'blocking', 'GIHP 2015: skip the evening before and the morning of'),
 ('medication.hold', 'warfarin',          'high', 5,  'days',  'blocking', 'HAS 2008'),
 ('medication.hold', 'fluindione',        'high', 5,  'days',  'blocking', 'HAS 2008'),
 ('medication.hold', 'acenocoumarol',     'high', 5,  'days',  'blocking', 'HAS 2008'),
 ('medication.inr_check', 'warfarin',     '*',    1,  'days',  'advisory', 'HAS 2008: INR the day before'),
 ('medication.inr_check', 'fluindione',   '*',    1,  'days',  'advisory', 'HAS 2008: INR the day before'),
 ('medication.inr_check', 'acenocoumarol', '*',   1,  'days',  'advisory', 'HAS 2008: INR the day before'),
 ('medication.hold', 'lmwh_therapeutic',  'high', 24, 'hours', 'blocking', 'HAS 2008, SIR 2019'),
 ('medication.hold', 'lmwh_therapeutic',  'low',  12, 'hours', 'blocking', 'SIR 2019: withhold one dose; local default'),
 ('medication.hold', 'lmwh_prophylactic', 'high', 12, 'hours', 'blocking', 'HAS 2008, SIR 2019'),
 ('medication.hold', 'ufh_sc',            'high', 12, 'hours', 'blocking', 'HAS 2008 (8–12 h)'),
 ('medication.hold', 'ufh_iv',            'high', 6,  'hours', 'blocking', 'HAS 2008 (4–6 h); local default'),
 ('medication.hold', 'clopidogrel',       'high', 5,  'days',  'blocking', 'GIHP/GFHT/SFAR 2018'),
 ('medication.hold', 'ticagrelor',        'high', 5,  'days',  'blocking', 'GIHP/GFHT/SFAR 2018'),
 ('medication.hold', 'prasugrel',         'high', 7,  'days',  'blocking', 'GIHP/GFHT/SFAR 2018'),
 ('medication.aspirin_advisory', 'vertebroplasty', '*', 3, 'days', 'advisory', 'GIHP/GFHT/SFAR 2018, SIR 2019: consider J−3'),
 ('medication.aspirin_advisory', 'kyphoplasty',    '*', 3, 'days', 'advisory', 'GIHP/GFHT/SFAR 2018, SIR 2019: consider J−3'),
 ('medication.aspirin_advisory', 'neurolysis',     '*', 3, 'days', 'advisory', 'GIHP/GFHT/SFAR 2018, SIR 2019: consider J−3'),
 ('medication.other',  '*',               '*',    NULL, 'flag', 'advisory', 'check by hand');
