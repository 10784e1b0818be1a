//! Storage failures in words ([`StorageError`] is data).

use crate::domain::roles::{Permission, Read, Role};
use crate::storage::StorageError;
use crate::text::{Label, Lang};

/// A refused record of the anaesthesia consultation.
fn transcription(lang: Lang, p: &crate::domain::transcribe::TranscriptionProblem) -> String {
    use crate::domain::transcribe::TranscriptionProblem as P;
    match p {
        P::NotMarked => lang
            .pick(
                "only an anaesthetist records their own anaesthesia consultation: anyone else records it as a transcription, naming the anaesthetist",
                "seul un anesthésiste enregistre sa propre consultation d'anesthésie\u{a0}: toute autre personne la transcrit, en nommant l'anesthésiste",
            )
            .into(),
        P::OtherTranscriber { named } => lang.pick(
            format!("a transcription of the anaesthesia consultation is recorded by who types it, not by '{named}'"),
            format!("une transcription de la consultation d'anesthésie est enregistrée par qui la saisit, pas par «\u{a0}{named}\u{a0}»"),
        ),
        P::NoAnaesthetist => lang
            .pick(
                "a transcribed anaesthesia consultation names the anaesthetist who saw the patient",
                "une consultation d'anesthésie transcrite nomme l'anesthésiste qui a vu le patient",
            )
            .into(),
    }
}

/// Who was refused, in the refusal message.
fn who(lang: Lang, role: Option<Role>, disabled: bool) -> String {
    match role {
        Some(r) => lang.pick(
            format!("role {}", r.label(lang)),
            format!("rôle {}", r.label(lang)),
        ),
        None if disabled => lang
            .pick(
                "a disabled user of this file",
                "utilisateur désactivé de ce fichier",
            )
            .into(),
        None => lang
            .pick("not a registered user", "pas un utilisateur enregistré")
            .into(),
    }
}

fn allowed(lang: Lang, roles: impl IntoIterator<Item = Role>) -> String {
    let names = crate::text::vocab::list(lang, roles);
    lang.pick(
        format!("allowed for {names}"),
        format!("permis pour {names}"),
    )
}

fn allowed_readers(lang: Lang, r: Read) -> String {
    allowed(
        lang,
        Role::ALL
            .iter()
            .copied()
            .filter(|role| r.identified().contains(role) || r.pseudonymised().contains(role)),
    )
}

fn allowed_roles(lang: Lang, p: Permission) -> String {
    allowed(lang, p.roles().iter().copied())
}

/// One sentence a user can act on.
pub fn storage(lang: Lang, e: &StorageError) -> String {
    use StorageError as E;
    let fr = lang == Lang::Fr;
    match e {
        E::NotFound(p) if fr => format!(
            "pas de base de données à {}\u{a0}: créez-en une avec `ir-committee init` (ou passez --db)",
            p.display()
        ),
        E::NotFound(p) => format!(
            "no database at {}: create one with `ir-committee init` (or pass --db)",
            p.display()
        ),
        E::NoFolder { path, folder } if fr => format!(
            "impossible de créer {}\u{a0}: le dossier {} n'existe pas",
            path.display(),
            folder.display()
        ),
        E::NoFolder { path, folder } => format!(
            "cannot create {}: the folder {} does not exist",
            path.display(),
            folder.display()
        ),
        E::NotOurs(p) if fr => format!(
            "{} existe déjà et n'est pas une base ir-committee\u{202f}; rien n'a été touché",
            p.display()
        ),
        E::NotOurs(p) => format!(
            "{} already exists and is not an ir-committee database; not touched",
            p.display()
        ),
        E::Empty(p) if fr => format!(
            "{} est vide, pas encore une base ir-committee\u{a0}: créez-la avec `ir-committee init`",
            p.display()
        ),
        E::Empty(p) => format!(
            "{} is empty, not an ir-committee database yet: create it with `ir-committee init`",
            p.display()
        ),
        E::TooNew { path, found, known } if fr => format!(
            "{} a été écrit par un ir-committee plus récent (schéma version {found}, ce programme connaît jusqu'à {known})\u{202f}; rien n'a été touché\u{a0}: mettez ir-committee à jour",
            path.display()
        ),
        E::TooNew { path, found, known } => format!(
            "{} was written by a newer ir-committee (schema version {found}, this program knows up to {known}); not touched: upgrade ir-committee",
            path.display()
        ),
        E::NotDemo(p) if fr => format!(
            "{} n'est pas une base de démonstration\u{202f}; `demo` ne recrée que ses propres fichiers (choisissez un autre chemin avec --db)",
            p.display()
        ),
        E::NotDemo(p) => format!(
            "{} is not a demo database; `demo` only recreates its own files (pick another path with --db)",
            p.display()
        ),
        E::FixedClock(p) if fr => format!(
            "{} est un fichier du comité\u{a0}: --today est réservé aux fichiers de démonstration (créés par `demo` ou `init --demo`) et antidaterait ce qui est écrit\u{202f}; rien n'a été écrit (la lecture avec --today est permise)",
            p.display()
        ),
        E::FixedClock(p) => format!(
            "{} is a committee file: --today is only for demo files (made by `demo` or `init --demo`) and would backdate what is written; nothing was written (reading with --today is allowed)",
            p.display()
        ),
        E::FixedClockInit(p) if fr => format!(
            "--today est réservé aux fichiers de démonstration\u{a0}: créez {} avec `init --demo` pour une démonstration ou une répétition, ou sans --today pour le fichier du comité",
            p.display()
        ),
        E::FixedClockInit(p) => format!(
            "--today is only for demo files: create {} with `init --demo` for a demonstration or a rehearsal, or without --today for the committee's file",
            p.display()
        ),
        E::ReadOnly(p) if fr => format!(
            "impossible d'écrire {}\u{a0}: le fichier ou son dossier est en lecture seule pour vous",
            p.display()
        ),
        E::ReadOnly(p) => format!(
            "cannot write {}: the file or its folder is read-only for you",
            p.display()
        ),
        E::CannotOpen(p, why) if fr => format!("impossible d'ouvrir {}\u{a0}: {why}", p.display()),
        E::CannotOpen(p, why) => format!("cannot open {}: {why}", p.display()),
        E::NetworkFs { path, kind } if fr => format!(
            "{} est sur un système de fichiers réseau ({kind})\u{a0}: le verrouillage de SQLite n'y est pas sûr\u{202f}; placez la base sur un disque local",
            path.display()
        ),
        E::NetworkFs { path, kind } => format!(
            "{} is on a network filesystem ({kind}): SQLite's locking is not safe there; put the database on a local disk",
            path.display()
        ),
        E::Damaged(p, why) if fr => format!(
            "{} est endommagé ({why})\u{202f}; restaurez-le depuis une sauvegarde",
            p.display()
        ),
        E::Damaged(p, why) => format!("{} is damaged ({why}); restore it from a backup", p.display()),
        E::NeedsUpgrade { path, found, known } if fr => format!(
            "{} utilise le schéma version {found}\u{202f}; il doit passer à {known}, ce qui demande le droit d'écrire",
            path.display()
        ),
        E::NeedsUpgrade { path, found, known } => format!(
            "{} uses schema version {found}; it needs an upgrade to {known}, which needs write access",
            path.display()
        ),
        E::Forbidden {
            login,
            role,
            permission,
            disabled,
        } => {
            let who = who(lang, *role, *disabled);
            let what = permission.label(lang);
            let allowed = allowed_roles(lang, *permission);
            lang.pick(
                format!("{login} ({who}) may not {what}: {allowed}"),
                format!("{login} ({who}) n'a pas le droit de {what}\u{a0}: {allowed}"),
            )
        }
        E::NotAUser { login } if fr => format!(
            "{login} n'est pas un utilisateur enregistré de ce fichier\u{a0}: il ne peut rien lire (un président peut vous ajouter\u{a0}: ir-committee users add {login} --role ROLE --name NOM)"
        ),
        E::NotAUser { login } => format!(
            "{login} is not a registered user of this file: it may read nothing (a chair can add you: ir-committee users add {login} --role ROLE --name NAME)"
        ),
        E::Disabled { login } if fr => format!(
            "{login} est un utilisateur désactivé de ce fichier\u{a0}: il ne peut rien lire (un président peut vous réactiver\u{a0}: ir-committee users set-role {login} ROLE)"
        ),
        E::Disabled { login } => format!(
            "{login} is a disabled user of this file: it may read nothing (a chair can enable you again: ir-committee users set-role {login} ROLE)"
        ),
        E::CannotRead(p, why) if fr => format!("impossible de lire {}\u{a0}: {why}", p.display()),
        E::CannotRead(p, why) => format!("cannot read {}: {why}", p.display()),
        E::ReadForbidden { login, role, read } => {
            let (r, what, allowed) = (role.label(lang), read.label(lang), allowed_readers(lang, *read));
            lang.pick(
                format!("{login} (role {r}) may not read {what}: {allowed}"),
                format!("{login} (rôle {r}) n'a pas le droit de lire {what}\u{a0}: {allowed}"),
            )
        }
        E::ScreenPseudonymised { login, role } if fr => format!(
            "{login} (rôle {}) ne lit que des données pseudonymisées et aucune clé de pseudonymisation utilisable n'est installée\u{a0}: quittez, faites-en installer une (docs/deployment.md) et rouvrez l'écran",
            role.label(lang)
        ),
        E::ScreenPseudonymised { login, role } => format!(
            "{login} (role {role}) reads pseudonymised data only and no usable pseudonym key is installed: quit, have one installed (docs/deployment.md) and open the screen again"
        ),
        E::Trace(why) if fr => format!(
            "impossible d'inscrire cette consultation dans la trace des lectures ({why})\u{a0}: rien n'est affiché\u{202f}; demandez à l'administrateur de vérifier le fichier de la base"
        ),
        E::Trace(why) => format!(
            "cannot record this consultation in the read trace ({why}): nothing is shown; ask the administrator to check the database file"
        ),
        E::Retention {
            before,
            latest,
            months,
        } if fr => format!(
            "la trace des lectures est conservée {months} mois\u{a0}: --before {before} est trop récent, la dernière date permise aujourd'hui est {latest}\u{202f}; rien n'a été supprimé"
        ),
        E::Retention {
            before,
            latest,
            months,
        } => format!(
            "the read trace is kept {months} months: --before {before} is too recent, the latest date allowed today is {latest}; nothing was deleted"
        ),
        E::ChainBroken { chain, id, reason } => {
            let broken = match (lang, *chain) {
                (Lang::Fr, "audit trail") => "le journal d'audit est rompu".to_owned(),
                (Lang::Fr, "read trace") => "la trace des lectures est rompue".to_owned(),
                (Lang::Fr, other) => format!("la chaîne {other} est rompue"),
                (Lang::En, other) => format!("the {other} is broken"),
            };
            lang.pick(
                format!("{broken} at row {id} ({reason}): nothing was pruned (see ir-committee audit --verify)"),
                format!("{broken} à la ligne {id} ({reason})\u{a0}: rien n'a été purgé (voir ir-committee audit --verify)"),
            )
        }
        E::Invalid(s) => s.clone(),
        E::Transcription(p) => transcription(lang, p),
        E::BadZone(z) if fr => format!(
            "le fuseau horaire '{z}' de la base n'est pas une zone IANA connue\u{202f}; donnez celui de l'hôpital avec `ir-committee set-timezone ZONE` (p. ex. Europe/Paris)"
        ),
        E::BadZone(z) => format!(
            "the database's time zone '{z}' is not a known IANA zone; set the hospital's with `ir-committee set-timezone ZONE` (e.g. Europe/Paris)"
        ),
        E::NoZone => lang
            .pick(
                "the database names no time zone; set the hospital's with `ir-committee set-timezone ZONE` (e.g. Europe/Paris)",
                "la base ne nomme aucun fuseau horaire\u{202f}; donnez celui de l'hôpital avec `ir-committee set-timezone ZONE` (p. ex. Europe/Paris)",
            )
            .into(),
        E::NoCase(id) if fr => format!("dossier '{id}' introuvable"),
        E::NoCase(id) => format!("case '{id}' not found"),
        E::NoPending(what) if fr => format!(
            "aucune valeur en conflit au dossier pour {what}\u{a0}: rien à garder ni à prendre"
        ),
        E::NoPending(what) => {
            format!("no conflicting value on file for {what}: nothing to keep or take")
        }
        E::IdentityChangedSinceShown(ipp) if fr => format!(
            "l'identité du patient IPP {ipp} a encore été modifiée par le SIH depuis son affichage\u{202f}; rien n'a été validé\u{a0}: vérifiez-la à nouveau"
        ),
        E::IdentityChangedSinceShown(ipp) => format!(
            "the identity of the patient with IPP {ipp} was changed again by the hospital system since it was shown; nothing was acknowledged: check it again"
        ),
        E::LabResultsChangedSinceShown(case) if fr => format!(
            "les résultats de laboratoire inutilisables du dossier {case} ont changé depuis leur affichage (un nouveau reçu, un autre vérifié)\u{202f}; rien n'a été vérifié\u{a0}: regardez-les à nouveau"
        ),
        E::LabResultsChangedSinceShown(case) => format!(
            "the unusable laboratory results of case {case} changed since they were shown (a new one arrived, one was cleared); nothing was acknowledged: look at them again"
        ),
        E::ChangedSinceShown(what) if fr => format!(
            "la valeur au dossier pour {what}, ou la valeur enregistrée, a changé depuis son affichage (un import, un formulaire, ou un autre choix entre-temps)\u{202f}; rien n'a été écrit\u{a0}: regardez-les à nouveau"
        ),
        E::ChangedSinceShown(what) => format!(
            "the value on file for {what}, or the stored one, changed since it was shown (an import, a form, or someone chose meanwhile); nothing was written: look at them again"
        ),
        E::Conflict {
            external_id,
            expected,
            found,
            by,
            at,
        } if fr => format!(
            "{external_id} a été modifié par {by} le {} depuis sa lecture (version {found}, attendue {expected})\u{202f}; rechargez-le et décidez à nouveau",
            crate::text::typo::iso_date(lang, at)
        ),
        E::Conflict {
            external_id,
            expected,
            found,
            by,
            at,
        } => format!(
            "{external_id} was changed by {by} at {at} since it was read (version {found}, expected {expected}); reload it and decide again"
        ),
        E::RuleRefused { row, problem } => super::rules::refused(lang, row, problem),
        E::NoRuleRow(key) => super::rules::no_row(lang, key),
        E::NoRiskRow(t) => super::rules::no_risk_row(lang, *t),
        E::RiskRows(t, risks) => super::rules::risk_rows(lang, *t, risks),
        E::RuleConflict {
            row,
            expected,
            found,
            by,
            at,
        } if fr => format!(
            "la règle {} a été modifiée par {} {} depuis sa lecture (version {found}, attendue {expected})\u{202f}; rechargez les règles et modifiez-la à nouveau",
            super::rules::name(lang, row),
            by.as_deref().unwrap_or("quelqu'un"),
            at.as_deref().map_or_else(
                || "à une date inconnue".to_owned(),
                |at| format!("le {}", crate::text::typo::iso_date(lang, at))
            ),
        ),
        E::RuleConflict {
            row,
            expected,
            found,
            by,
            at,
        } => format!(
            "the rule {} was changed by {} at {} since it was read (version {found}, expected {expected}); reload the rules and change it again",
            super::rules::name(lang, row),
            by.as_deref().unwrap_or("someone"),
            at.as_deref().unwrap_or("an unknown time"),
        ),
        E::DayRecorded { case, performed } if fr => format!(
            "{case}\u{a0}: le jour du geste est enregistré ({})\u{a0}; la décision du comité ne change plus",
            if *performed { "réalisé" } else { "non réalisé" }
        ),
        E::DayRecorded { case, performed } => format!(
            "{case}: its day of procedure is recorded ({}); the committee's decision no longer changes",
            if *performed { "performed" } else { "not performed" }
        ),
        E::ApprovalNote(chars) => crate::text::protocol::note_refused(lang, *chars),
        E::AlreadyApproved { version, on, by } => {
            crate::text::protocol::already_approved(lang, *version, *on, by)
        }
        E::ApprovalMeeting { named, held_today } => {
            crate::text::protocol::approval_meeting(lang, named.as_deref(), held_today)
        }
        E::ApprovalFingerprint { given, found } => {
            crate::text::protocol::approval_fingerprint(lang, given.as_deref(), found)
        }
        E::ApprovalStale { reviewed, found } => {
            crate::text::protocol::approval_stale(lang, *reviewed, *found)
        }
        E::NothingToUndo(id) if fr => format!("{id} n'a aucune décision à retirer"),
        E::NothingToUndo(id) => format!("{id} has no decision to undo"),
        E::AuditKey { path, reason } if fr => format!(
            "impossible d'utiliser le fichier de clé d'audit {} (IR_COMMITTEE_AUDIT_KEY_FILE)\u{a0}: {reason}",
            path.display()
        ),
        E::AuditKey { path, reason } => format!(
            "cannot use the audit key file {} (IR_COMMITTEE_AUDIT_KEY_FILE): {reason}",
            path.display()
        ),
        E::AuditKeyNeeded => lang
            .pick(
                "this database's audit trail is keyed: set IR_COMMITTEE_AUDIT_KEY_FILE to its key file",
                "le journal d'audit de cette base est chiffré par une clé\u{a0}: donnez son fichier de clé dans IR_COMMITTEE_AUDIT_KEY_FILE",
            )
            .into(),
        E::AuditKeyMismatch => lang
            .pick(
                "the audit key given is not the one this database's audit trail is keyed with",
                "la clé d'audit donnée n'est pas celle du journal d'audit de cette base",
            )
            .into(),
        E::AuditSeal(s) => s.clone(),
        E::NoAuditKey => lang
            .pick(
                "no audit key is configured (IR_COMMITTEE_AUDIT_KEY_FILE, or audit_key_file in the setgid configuration): there is nothing to seal",
                "aucune clé d'audit n'est configurée (IR_COMMITTEE_AUDIT_KEY_FILE, ou audit_key_file dans la configuration setgid)\u{a0}: il n'y a rien à sceller",
            )
            .into(),
        E::Triggers(what) if fr => format!(
            "{what}\u{a0}: toute écriture est refusée tant qu'il n'est pas rétabli exactement comme ir-committee le crée (README, Audit trail)"
        ),
        E::Triggers(what) => format!(
            "{what}: every write is refused until it is restored exactly as ir-committee creates it (README, Audit trail)"
        ),
        E::Busy if fr => format!(
            "la base est occupée (un autre rédacteur la tient depuis plus de {} s)\u{202f}; réessayez",
            crate::storage::BUSY_TIMEOUT.as_secs()
        ),
        E::Busy => format!(
            "the database is busy (another writer held it for over {}s); try again",
            crate::storage::BUSY_TIMEOUT.as_secs()
        ),
        E::Sqlite(e) if fr => format!("erreur de la base de données\u{a0}: {e}"),
        E::Sqlite(e) => format!("database error: {e}"),
        E::Corrupt(s) if fr => format!("données corrompues dans la base\u{a0}: {s}"),
        E::Corrupt(s) => format!("corrupt data in the database: {s}"),
        E::FollowUp(r) => crate::text::followup::refusal(lang, r),
        E::Day(r) => crate::text::outcome::day_refusal(lang, r),
    }
}
