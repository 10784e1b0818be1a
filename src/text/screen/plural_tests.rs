//! Counts on the screen take a real plural: French singular for 0 and 1,
//! English singular for 1 only (`text::typo::plural`), no "(s)".

use super::export::{attendance_saved, exported};
use super::{drafts_waiting, untraced};
use crate::domain::message::Lang;
use Lang::{En, Fr};

fn no_pseudo_plural(s: &str) {
    assert!(!s.contains("(s)"), "{s}");
}

#[test]
fn attendance_at_the_edges() {
    for (lang, n, want) in [
        (En, 0, "Attendance saved: 0 present."),
        (En, 1, "Attendance saved: 1 present."),
        (En, 2, "Attendance saved: 2 present."),
        (Fr, 0, "Présence enregistrée\u{a0}: 0 présent."),
        (Fr, 1, "Présence enregistrée\u{a0}: 1 présent."),
        (Fr, 2, "Présence enregistrée\u{a0}: 2 présents."),
    ] {
        assert_eq!(attendance_saved(lang, n), want, "{lang:?} {n}");
    }
}

#[test]
fn exported_at_the_edges() {
    for (lang, n, want) in [
        (En, 0, "Exported 0 validated procedures to out.csv"),
        (En, 1, "Exported 1 validated procedure to out.csv"),
        (En, 2, "Exported 2 validated procedures to out.csv"),
        (Fr, 0, "0 intervention validée exportée dans out.csv"),
        (Fr, 1, "1 intervention validée exportée dans out.csv"),
        (Fr, 2, "2 interventions validées exportées dans out.csv"),
    ] {
        assert_eq!(exported(lang, "out.csv", n, false), want, "{lang:?} {n}");
    }
}

#[test]
fn drafts_waiting_at_the_edges() {
    let ids = |n: usize| (0..n).map(|i| format!("d{i}")).collect::<Vec<_>>();
    for (lang, n, want) in [
        (
            En,
            0,
            "0 unfinished texts kept for you (): open the same dialog to get them back.",
        ),
        (
            En,
            1,
            "1 unfinished text kept for you (d0): open the same dialog to get it back.",
        ),
        (
            En,
            2,
            "2 unfinished texts kept for you (d0, d1): open the same dialog to get them back.",
        ),
        (
            Fr,
            0,
            "0 texte inachevé conservé ()\u{a0}: rouvrez la même fenêtre pour le retrouver.",
        ),
        (
            Fr,
            1,
            "1 texte inachevé conservé (d0)\u{a0}: rouvrez la même fenêtre pour le retrouver.",
        ),
        (
            Fr,
            2,
            "2 textes inachevés conservés (d0, d1)\u{a0}: rouvrez la même fenêtre pour les retrouver.",
        ),
    ] {
        let got = drafts_waiting(lang, n, &ids(n));
        no_pseudo_plural(&got);
        assert_eq!(got, want, "{lang:?} {n}");
    }
}

#[test]
fn untraced_at_the_edges() {
    for (lang, n, want) in [
        (En, 0, "0 consultations shown could not be recorded: busy"),
        (En, 1, "1 consultation shown could not be recorded: busy"),
        (En, 2, "2 consultations shown could not be recorded: busy"),
        (
            Fr,
            0,
            "0 consultation affichée n'a pas pu être enregistrée\u{a0}: busy",
        ),
        (
            Fr,
            1,
            "1 consultation affichée n'a pas pu être enregistrée\u{a0}: busy",
        ),
        (
            Fr,
            2,
            "2 consultations affichées n'ont pas pu être enregistrées\u{a0}: busy",
        ),
    ] {
        assert_eq!(untraced(lang, n, "busy"), want, "{lang:?} {n}");
    }
}
