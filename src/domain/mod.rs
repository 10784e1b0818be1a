//! Pure domain: the case model, its vocabularies, the dossier rules and the
//! clinical scores. No terminal, no database.

pub mod assess;
pub mod bounds;
pub mod clock;
pub mod edit;
pub mod feed;
pub mod followup;
pub mod indicators;
pub mod instructions;
pub mod labs;
pub mod message;
pub mod model;
pub mod outcome;
pub mod panel;
pub mod panel_rule;
pub mod protocol;
pub mod quorum;
pub mod record;
pub mod reimport;
pub mod roles;
pub mod rules;
pub mod scores;
pub mod slot;
pub mod tasks;
pub mod text;
pub mod time;
pub mod transcribe;
pub mod vocab;
pub mod week;
pub mod zone;
