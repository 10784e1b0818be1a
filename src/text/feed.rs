//! What `watch` and `listen` print: their refusals to start and their log
//! lines (one per file or message: a file name or a peer address and an
//! ACK code, never patient data).

use super::typo;
use super::{Lang, Localized};
use crate::feed::Failure;
use crate::feed::mllp::{Closed, ListenError, Note};
use crate::feed::watch::{Outcome, Skip, WatchError};

fn shown(path: &std::path::Path) -> String {
    crate::domain::text::sanitize_line(&path.display().to_string())
}

impl Localized for WatchError {
    fn in_lang(&self, lang: Lang) -> String {
        let body = watch_error(lang, self);
        lang.pick(format!("watch: {body}"), format!("watch\u{a0}: {body}"))
    }
}

/// A [`WatchError`] without the `watch: ` before it.
fn watch_error(lang: Lang, e: &WatchError) -> String {
    match e {
        WatchError::NotADirectory(p) => lang.pick(
            format!("{} is not a directory", shown(p)),
            format!("{} n'est pas un dossier", shown(p)),
        ),
        WatchError::NotOwned { path, uid } => {
            let me = nix::unistd::geteuid().as_raw();
            lang.pick(
                format!(
                    "{} is owned by uid {uid}, not by the user running the watch (uid {me})",
                    shown(path)
                ),
                format!(
                    "{} appartient à l'uid {uid}, pas à l'utilisateur qui surveille (uid {me})",
                    shown(path)
                ),
            )
        }
        WatchError::Writable { path, mode } => lang.pick(
            format!(
                "{} is writable by its group or others (mode {mode:o}): a file dropped there would be taken as a result from the hospital; chmod go-w it",
                shown(path)
            ),
            format!(
                "{} est modifiable par son groupe ou par d'autres (mode {mode:o})\u{a0}: un fichier déposé là serait pris pour un résultat de l'hôpital\u{a0}; faites chmod go-w",
                shown(path)
            ),
        ),
        WatchError::UnsafeParent { path, uid, mode } => {
            let me = nix::unistd::geteuid().as_raw();
            if *uid != me && *uid != 0 {
                lang.pick(
                    format!(
                        "{}, above the folder, is owned by uid {uid}, neither root nor the user running the watch (uid {me}): its owner could put a folder of their own in place of the watched one",
                        shown(path)
                    ),
                    format!(
                        "{}, au-dessus du dossier, appartient à l'uid {uid}, ni root ni l'utilisateur qui surveille (uid {me})\u{a0}: son propriétaire pourrait mettre un dossier à lui à la place du dossier surveillé",
                        shown(path)
                    ),
                )
            } else {
                lang.pick(
                    format!(
                        "{}, above the folder, is writable by its group or others without the sticky bit (mode {mode:o}): another user could put a folder of their own in place of the watched one; chmod go-w it (or +t), or move the folder",
                        shown(path)
                    ),
                    format!(
                        "{}, au-dessus du dossier, est modifiable par son groupe ou par d'autres sans le bit sticky (mode {mode:o})\u{a0}: un autre utilisateur pourrait mettre un dossier à lui à la place du dossier surveillé\u{a0}; faites chmod go-w (ou +t), ou déplacez le dossier",
                        shown(path)
                    ),
                )
            }
        }
        WatchError::Replaced { path } => lang.pick(
            format!(
                "{} is no longer the folder being watched (renamed or replaced)",
                shown(path)
            ),
            format!(
                "{} n'est plus le dossier surveillé (renommé ou remplacé)",
                shown(path)
            ),
        ),
        WatchError::Changed(inner) => {
            let why = watch_error(lang, inner);
            lang.pick(
                format!("stopped, nothing more applied: {why}"),
                format!("arrêté, plus rien n'est appliqué\u{a0}: {why}"),
            )
        }
        WatchError::NotMoved {
            name,
            accepted,
            code,
            reason,
        } => {
            let name = crate::domain::text::sanitize_line(name);
            let folder = if *accepted {
                crate::feed::watch::DONE
            } else {
                crate::feed::watch::FAILED
            };
            let code = code.as_deref().map(|c| format!(" ({c})")).unwrap_or_default();
            let (en, fr) = if *accepted {
                ("applied", "appliqué")
            } else {
                ("refused", "refusé")
            };
            lang.pick(
                format!(
                    "stopped: {name} was {en}{code} but could not be moved to {folder}/ with its ack: {reason}; move it out of the folder by hand before restarting"
                ),
                format!(
                    "arrêté\u{a0}: {name} a été {fr}{code} mais n'a pu être déplacé dans {folder}/ avec son accusé\u{a0}: {reason}\u{a0}; sortez-le du dossier à la main avant de relancer"
                ),
            )
        }
        WatchError::Io { path, reason } => lang.pick(
            format!("{}: {reason}", shown(path)),
            format!("{}\u{a0}: {reason}", shown(path)),
        ),
    }
}

impl Localized for ListenError {
    fn in_lang(&self, lang: Lang) -> String {
        let key = crate::deploy::peers::KEY;
        match self {
            ListenError::BadAddress(spec) => lang.pick(
                format!(
                    "listen: '{spec}' is not ADDR:PORT: give an IP address or localhost and a port, e.g. 127.0.0.1:2575, [::1]:2575 or localhost:2575"
                ),
                format!(
                    "listen\u{a0}: «\u{a0}{spec}\u{a0}» n'est pas ADRESSE:PORT\u{a0}: donnez une adresse IP ou localhost et un port, par exemple 127.0.0.1:2575, [::1]:2575 ou localhost:2575"
                ),
            ),
            ListenError::NameWithoutPeers(name) => lang.pick(
                format!(
                    "listen: {name} is a host name other than localhost and no peers are allowed: without them only loopback is taken (127.0.0.1, [::1] or localhost), behind an SSH tunnel or stunnel; or list the engine's addresses in the configuration ({key} = …)"
                ),
                format!(
                    "listen\u{a0}: {name} est un nom d'hôte autre que localhost et aucun pair n'est autorisé\u{a0}: sans eux seule l'adresse locale est acceptée (127.0.0.1, [::1] ou localhost), derrière un tunnel SSH ou stunnel\u{a0}; ou listez les adresses du moteur dans la configuration ({key} = …)"
                ),
            ),
            ListenError::Unresolved { name, reason } => lang.pick(
                format!("listen: cannot resolve {name}: {reason}"),
                format!("listen\u{a0}: impossible de résoudre {name}\u{a0}: {reason}"),
            ),
            ListenError::OpenWithoutPeers(addr) => lang.pick(
                format!(
                    "listen: {addr} is not a loopback address and no peers are allowed: list them in the configuration ({key} = …), or listen on 127.0.0.1 (or localhost) behind an SSH tunnel or stunnel"
                ),
                format!(
                    "listen\u{a0}: {addr} n'est pas une adresse locale et aucun pair n'est autorisé\u{a0}: listez-les dans la configuration ({key} = …), ou écoutez sur 127.0.0.1 (ou localhost) derrière un tunnel SSH ou stunnel"
                ),
            ),
            ListenError::Bind { addr, reason } => lang.pick(
                format!("listen: cannot listen on {addr}: {reason}"),
                format!("listen\u{a0}: impossible d'écouter sur {addr}\u{a0}: {reason}"),
            ),
        }
    }
}

/// The log line of one file of the watched folder.
pub fn watched(lang: Lang, o: &Outcome) -> String {
    let code = match (&o.code, o.accepted) {
        (Some(code), _) => code.clone(),
        (None, true) => lang.pick("accepted", "accepté").to_owned(),
        (None, false) => lang.pick("refused", "refusé").to_owned(),
    };
    let folder = if o.accepted {
        crate::feed::watch::DONE
    } else {
        crate::feed::watch::FAILED
    };
    let why = match (o.skipped, o.failure) {
        (Some(skip), _) => format!(" ({})", skipped(lang, skip)),
        (None, Some(f)) => format!(" ({})", failure(lang, f)),
        (None, None) => String::new(),
    };
    let clean = crate::domain::text::sanitize_line;
    let (name, moved) = (clean(&o.name), clean(&o.moved_to));
    let line = lang.pick(
        format!("watch: {name}: {code}{why} → {folder}/{moved}"),
        format!("watch\u{a0}: {name}\u{a0}: {code}{why} → {folder}/{moved}"),
    );
    typo::finish(lang, typo::Medium::Print, &line)
}

/// Why a file was not given to the handler.
pub fn skipped(lang: Lang, skip: Skip) -> String {
    match skip {
        Skip::TooLarge { max } => lang.pick(
            format!("over {max} bytes, not read"),
            format!("plus de {max} octets, non lu"),
        ),
        Skip::NotRegular => lang
            .pick("not a regular file", "pas un fichier ordinaire")
            .to_owned(),
        Skip::NotOwned { uid } => lang.pick(
            format!("owned by uid {uid}, not by the account watching"),
            format!("appartient à l'uid {uid}, pas au compte qui surveille"),
        ),
        Skip::Unreadable => lang.pick("unreadable", "illisible").to_owned(),
    }
}

/// The log line of the listener.
pub fn note(lang: Lang, n: &Note) -> String {
    let line = match n {
        Note::Listening(a) => lang.pick(
            format!("listen: listening on {a} (MLLP)"),
            format!("listen\u{a0}: à l'écoute sur {a} (MLLP)"),
        ),
        Note::Connected(p) => lang.pick(
            format!("listen: {p}: connected"),
            format!("listen\u{a0}: {p}\u{a0}: connecté"),
        ),
        Note::NotAllowed(p) => lang.pick(
            format!("listen: {p}: not an allowed peer, closed"),
            format!("listen\u{a0}: {p}\u{a0}: pair non autorisé, fermé"),
        ),
        Note::NotAllowedAccount { peer, uid } => {
            let key = crate::deploy::peers::LOCAL_KEY;
            match uid {
                Some(uid) => lang.pick(
                    format!("listen: {peer}: the local account of uid {uid} is not in {key}, closed"),
                    format!(
                        "listen\u{a0}: {peer}\u{a0}: le compte local d'uid {uid} n'est pas dans {key}, fermé"
                    ),
                ),
                None => lang.pick(
                    format!("listen: {peer}: the local account could not be known, closed"),
                    format!("listen\u{a0}: {peer}\u{a0}: compte local inconnu, fermé"),
                ),
            }
        }
        Note::TooMany(p) => lang.pick(
            format!("listen: {p}: too many connections, closed"),
            format!("listen\u{a0}: {p}\u{a0}: trop de connexions, fermé"),
        ),
        Note::Answered {
            peer,
            code,
            failure: why,
        } => {
            let code = code.as_deref().unwrap_or("?");
            let why = why.map_or_else(String::new, |f| format!(" ({})", failure(lang, f)));
            lang.pick(
                format!("listen: {peer}: {code}{why}"),
                format!("listen\u{a0}: {peer}\u{a0}: {code}{why}"),
            )
        }
        Note::TooLarge { peer, max } => lang.pick(
            format!("listen: {peer}: AR (message over {max} bytes, not read)"),
            format!("listen\u{a0}: {peer}\u{a0}: AR (message de plus de {max} octets, non lu)"),
        ),
        Note::Closed { peer, why } => {
            let why = closed(lang, *why);
            lang.pick(
                format!("listen: {peer}: closed ({why})"),
                format!("listen\u{a0}: {peer}\u{a0}: fermé ({why})"),
            )
        }
        Note::Stopped => lang
            .pick("listen: stopped", "listen\u{a0}: arrêté")
            .to_owned(),
    };
    typo::finish(lang, typo::Medium::Print, &line)
}

/// Why the committee file did not take a message: a kind, never its data.
pub fn failure(lang: Lang, f: Failure) -> &'static str {
    match f {
        Failure::Busy => lang.pick(
            "not applied: the committee file is busy, the sender may send it again",
            "non appliqué\u{a0}: la base est occupée, l'émetteur peut le renvoyer",
        ),
        Failure::ReadOnly => lang.pick(
            "not applied: the committee file is read-only for this account",
            "non appliqué\u{a0}: la base est en lecture seule pour ce compte",
        ),
        Failure::DiskFull => lang.pick(
            "not applied: the disk of the committee file is full",
            "non appliqué\u{a0}: le disque de la base est plein",
        ),
        Failure::NewerSchema => lang.pick(
            "not applied: the committee file was upgraded by a newer ir-committee, upgrade this one",
            "non appliqué\u{a0}: la base a été mise à jour par un ir-committee plus récent, mettez celui-ci à jour",
        ),
        Failure::NotAllowed => lang.pick(
            "not applied: this account may no longer apply messages",
            "non appliqué\u{a0}: ce compte n'a plus le droit d'appliquer les messages",
        ),
        Failure::Damaged => lang.pick(
            "not applied: the committee file is damaged",
            "non appliqué\u{a0}: la base est endommagée",
        ),
        Failure::AuditTrail => lang.pick(
            "not applied: the audit trail refuses writes (audit --verify)",
            "non appliqué\u{a0}: la piste d'audit refuse les écritures (audit --verify)",
        ),
        Failure::Io => lang.pick(
            "not applied: disk input/output error",
            "non appliqué\u{a0}: erreur d'entrée-sortie du disque",
        ),
        Failure::Other => lang.pick(
            "not applied: the committee file could not be written",
            "non appliqué\u{a0}: la base n'a pas pu être écrite",
        ),
    }
}

fn closed(lang: Lang, why: Closed) -> &'static str {
    match why {
        Closed::ByPeer => lang.pick("by the peer", "par le pair"),
        Closed::Stuck => lang.pick(
            "a message begun and not ended in time",
            "message commencé et non terminé à temps",
        ),
        Closed::Idle => lang.pick("idle", "inactif"),
        Closed::Flood => lang.pick(
            "an oversized message that does not end",
            "message trop long qui ne finit pas",
        ),
        Closed::Stopping => lang.pick("stopping", "arrêt"),
        Closed::Failed => lang.pick("read or write failed", "échec de lecture ou d'écriture"),
    }
}

/// The `.ack` of a JSON file the handler never saw.
pub fn json_not_read(lang: Lang, skip: Skip) -> String {
    let why = skipped(lang, skip);
    lang.pick(
        format!("not imported: {why}"),
        format!("non importé\u{a0}: {why}"),
    )
}

/// `watch: stopped` when a signal ends it.
pub fn watch_stopped(lang: Lang) -> String {
    lang.pick("watch: stopped", "watch\u{a0}: arrêté")
        .to_owned()
}

/// `watch: watching DIR`.
pub fn watching(lang: Lang, dir: &std::path::Path) -> String {
    lang.pick(
        format!("watch: watching {}", shown(dir)),
        format!("watch\u{a0}: surveillance de {}", shown(dir)),
    )
}

/// The stop signals could not be set up.
pub fn no_signals(lang: Lang, why: &std::io::Error) -> String {
    lang.pick(
        format!("cannot catch SIGTERM and SIGINT: {why}"),
        format!("impossible d'intercepter SIGTERM et SIGINT\u{a0}: {why}"),
    )
}

/// `--config` with `--db`.
pub fn config_and_db(lang: Lang) -> String {
    lang.pick(
        "--config names the database: leave --db out",
        "--config désigne la base\u{a0}: retirez --db",
    )
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_the_file_did_not_take_says_why_in_both_languages() {
        let peer = "127.0.0.1:40000"
            .parse()
            .unwrap_or_else(|_| std::net::SocketAddr::from(([127, 0, 0, 1], 40000)));
        let n = Note::Answered {
            peer,
            code: Some("AE".into()),
            failure: Some(Failure::ReadOnly),
        };
        assert_eq!(
            note(Lang::En, &n),
            "listen: 127.0.0.1:40000: AE (not applied: the committee file is read-only for this account)"
        );
        assert_eq!(
            note(Lang::Fr, &n),
            "listen\u{a0}: 127.0.0.1:40000\u{a0}: AE (non appliqué\u{a0}: la base est en lecture seule pour ce compte)"
        );
        let plain = Note::Answered {
            peer,
            code: Some("AA".into()),
            failure: None,
        };
        assert_eq!(note(Lang::En, &plain), "listen: 127.0.0.1:40000: AA");
        let file = Outcome {
            name: "r1.hl7".into(),
            code: Some("AE".into()),
            accepted: false,
            skipped: None,
            failure: Some(Failure::Busy),
            moved_to: "r1.hl7".into(),
        };
        assert_eq!(
            watched(Lang::En, &file),
            "watch: r1.hl7: AE (not applied: the committee file is busy, the sender may send it again) → failed/r1.hl7"
        );
    }

    #[test]
    fn a_file_line_in_both_languages() {
        let o = Outcome {
            name: "r1\n.hl7".into(),
            code: Some("AE".into()),
            accepted: false,
            skipped: None,
            failure: None,
            moved_to: "r1.2.hl7".into(),
        };
        assert_eq!(
            watched(Lang::En, &o),
            "watch: r1 .hl7: AE → failed/r1.2.hl7"
        );
        assert_eq!(
            watched(Lang::Fr, &o),
            "watch\u{a0}: r1 .hl7\u{a0}: AE → failed/r1.2.hl7"
        );
        let big = Outcome {
            code: None,
            skipped: Some(Skip::TooLarge { max: 10 }),
            ..o
        };
        assert_eq!(
            watched(Lang::En, &big),
            "watch: r1 .hl7: refused (over 10 bytes, not read) → failed/r1.2.hl7"
        );
    }
}
