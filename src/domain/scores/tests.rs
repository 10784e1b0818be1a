//! Band edges, level → location, incomplete inputs, serde of levels.

use super::*;

fn level(s: &str) -> VertebralLevel {
    s.parse().expect("valid level")
}

fn complete_sins() -> SinsInput {
    SinsInput {
        level: None,
        location: Some(SinsLocation::Rigid),
        pain: Some(SinsPain::PainFree),
        lesion: Some(SinsLesion::Blastic),
        alignment: Some(SinsAlignment::Normal),
        collapse: Some(SinsCollapse::None),
        posterolateral: Some(SinsPosterolateral::None),
    }
}

fn complete_mirels() -> MirelsInput {
    MirelsInput {
        lesion: Some("left femur".into()),
        site: Some(MirelsSite::UpperLimb),
        pain: Some(MirelsPain::Mild),
        size: Some(MirelsSize::Lt13),
        appearance: Some(MirelsAppearance::Blastic),
    }
}

fn points(breakdown: &[ScoreItem]) -> Vec<Option<u8>> {
    breakdown.iter().map(|i| i.points).collect()
}

// --- SINS bands -------------------------------------------------------

#[test]
fn sins_band_edges() {
    use SinsAlignment as A;
    use SinsCollapse as C;
    use SinsLesion as Le;
    use SinsLocation as Lo;
    use SinsPain as P;
    use SinsPosterolateral as Pl;
    #[rustfmt::skip]
    let cases = [
        // location, pain, lesion, alignment, collapse, posterolateral → total, band
        (Lo::Rigid, P::PainFree, Le::Blastic, A::Normal, C::None, Pl::None, 0, SinsBand::Stable),
        (Lo::Junctional, P::Mechanical, Le::Blastic, A::Normal, C::None, Pl::None, 6, SinsBand::Stable),
        (Lo::Junctional, P::Mechanical, Le::Blastic, A::Normal, C::NoneGt50Involved, Pl::None, 7, SinsBand::PotentiallyUnstable),
        (Lo::Junctional, P::Mechanical, Le::Lytic, A::Deformity, C::Lt50, Pl::None, 12, SinsBand::PotentiallyUnstable),
        (Lo::Junctional, P::Mechanical, Le::Lytic, A::Deformity, C::Gt50, Pl::None, 13, SinsBand::Unstable),
        (Lo::Junctional, P::Mechanical, Le::Lytic, A::Subluxation, C::Gt50, Pl::Bilateral, 18, SinsBand::Unstable),
    ];
    for (lo, p, le, a, c, pl, total, band) in cases {
        let input = SinsInput {
            level: None,
            location: Some(lo),
            pain: Some(p),
            lesion: Some(le),
            alignment: Some(a),
            collapse: Some(c),
            posterolateral: Some(pl),
        };
        let score = sins(&input);
        assert_eq!(score.total, Some(total), "{input:?}");
        assert_eq!(score.band, Some(band), "total {total}");
        assert!(score.missing.is_empty());
        assert!(score.is_complete());
    }
}

#[test]
fn sins_band_from_total_covers_every_total() {
    for t in 0..=18u8 {
        let expected = if t <= 6 {
            SinsBand::Stable
        } else if t <= 12 {
            SinsBand::PotentiallyUnstable
        } else {
            SinsBand::Unstable
        };
        assert_eq!(SinsBand::from_total(t), expected, "total {t}");
    }
}

#[test]
fn sins_zero_is_valid_and_stable() {
    let score = sins(&complete_sins());
    assert_eq!(score.total, Some(0));
    assert_eq!(score.band, Some(SinsBand::Stable));
    assert_eq!(points(&score.breakdown), vec![Some(0); 6]);
}

// --- Mirels bands -----------------------------------------------------

#[test]
fn mirels_band_edges() {
    use MirelsAppearance as A;
    use MirelsPain as P;
    use MirelsSite as Si;
    use MirelsSize as Sz;
    #[rustfmt::skip]
    let cases = [
        (Si::UpperLimb, P::Mild, Sz::Lt13, A::Blastic, 4, MirelsBand::Low),
        (Si::ProximalFemur, P::Mild, Sz::From13To23, A::Blastic, 7, MirelsBand::Low),
        (Si::ProximalFemur, P::Moderate, Sz::From13To23, A::Blastic, 8, MirelsBand::Borderline),
        (Si::LowerLimb, P::Moderate, Sz::From13To23, A::Mixed, 8, MirelsBand::Borderline),
        (Si::ProximalFemur, P::Moderate, Sz::From13To23, A::Mixed, 9, MirelsBand::High),
        (Si::ProximalFemur, P::Functional, Sz::Gt23, A::Lytic, 12, MirelsBand::High),
    ];
    for (si, p, sz, a, total, band) in cases {
        let input = MirelsInput {
            lesion: None,
            site: Some(si),
            pain: Some(p),
            size: Some(sz),
            appearance: Some(a),
        };
        let score = mirels(&input);
        assert_eq!(score.total, Some(total), "{input:?}");
        assert_eq!(score.band, Some(band), "total {total}");
        assert!(score.missing.is_empty());
    }
}

#[test]
fn mirels_band_from_total() {
    for t in 4..=12u8 {
        let expected = match t {
            ..=7 => MirelsBand::Low,
            8 => MirelsBand::Borderline,
            _ => MirelsBand::High,
        };
        assert_eq!(MirelsBand::from_total(t), expected);
    }
}

#[test]
fn mirels_point_tables() {
    assert_eq!(
        MirelsSite::ALL
            .iter()
            .map(|v| v.points())
            .collect::<Vec<_>>(),
        [1, 2, 3]
    );
    assert_eq!(
        MirelsPain::ALL
            .iter()
            .map(|v| v.points())
            .collect::<Vec<_>>(),
        [1, 2, 3]
    );
    assert_eq!(
        MirelsSize::ALL
            .iter()
            .map(|v| v.points())
            .collect::<Vec<_>>(),
        [1, 2, 3]
    );
    assert_eq!(
        MirelsAppearance::ALL
            .iter()
            .map(|v| v.points())
            .collect::<Vec<_>>(),
        [1, 2, 3]
    );
}

#[test]
fn sins_point_tables() {
    let pts = |v: &[u8]| v.to_vec();
    assert_eq!(
        SinsLocation::ALL
            .iter()
            .map(|v| v.points())
            .collect::<Vec<_>>(),
        pts(&[3, 2, 1, 0])
    );
    assert_eq!(
        SinsPain::ALL.iter().map(|v| v.points()).collect::<Vec<_>>(),
        pts(&[3, 1, 0])
    );
    assert_eq!(
        SinsLesion::ALL
            .iter()
            .map(|v| v.points())
            .collect::<Vec<_>>(),
        pts(&[2, 1, 0])
    );
    assert_eq!(
        SinsAlignment::ALL
            .iter()
            .map(|v| v.points())
            .collect::<Vec<_>>(),
        pts(&[4, 2, 0])
    );
    assert_eq!(
        SinsCollapse::ALL
            .iter()
            .map(|v| v.points())
            .collect::<Vec<_>>(),
        pts(&[3, 2, 1, 0])
    );
    assert_eq!(
        SinsPosterolateral::ALL
            .iter()
            .map(|v| v.points())
            .collect::<Vec<_>>(),
        pts(&[3, 1, 0])
    );
}

// --- Levels -------------------------------------------------------------

#[test]
fn every_level_maps_to_its_location() {
    use SinsLocation::*;
    #[rustfmt::skip]
    let expected: [(&str, SinsLocation); 30] = [
        ("C0", Junctional), ("C1", Junctional), ("C2", Junctional),
        ("C3", Mobile), ("C4", Mobile), ("C5", Mobile), ("C6", Mobile),
        ("C7", Junctional),
        ("T1", Junctional), ("T2", Junctional),
        ("T3", SemiRigid), ("T4", SemiRigid), ("T5", SemiRigid), ("T6", SemiRigid),
        ("T7", SemiRigid), ("T8", SemiRigid), ("T9", SemiRigid), ("T10", SemiRigid),
        ("T11", Junctional), ("T12", Junctional),
        ("L1", Junctional), ("L2", Mobile), ("L3", Mobile), ("L4", Mobile),
        ("L5", Junctional),
        ("S1", Junctional), ("S2", Rigid), ("S3", Rigid), ("S4", Rigid), ("S5", Rigid),
    ];
    let all: Vec<VertebralLevel> = VertebralLevel::all().collect();
    assert_eq!(all.len(), 30);
    for ((name, location), lvl) in expected.iter().zip(&all) {
        assert_eq!(lvl.to_string(), *name, "cranio-caudal order");
        assert_eq!(level(name), *lvl);
        assert_eq!(lvl.location(), *location, "{name}");
    }
    assert!(all.windows(2).all(|w| w[0] < w[1]), "ordered");
}

#[test]
fn lumbar_l2_to_l4_are_mobile_and_score_two() {
    for name in ["L2", "L3", "L4"] {
        let lvl = level(name);
        assert_eq!(lvl.location(), SinsLocation::Mobile, "{name}");
        let score = sins(&SinsInput {
            level: Some(lvl),
            location: None,
            ..complete_sins()
        });
        assert_eq!(score.location, Some(SinsLocation::Mobile));
        assert_eq!(score.breakdown[0], ScoreItem::new("location", Some(2)));
        assert_eq!(score.total, Some(2), "{name}");
    }
}

#[test]
fn junctional_semi_rigid_and_rigid_levels() {
    for name in ["L1", "L5", "T11", "T12", "C7", "T1", "T2", "S1"] {
        assert_eq!(level(name).location(), SinsLocation::Junctional, "{name}");
    }
    for n in 3..=10 {
        let name = format!("T{n}");
        assert_eq!(level(&name).location(), SinsLocation::SemiRigid, "{name}");
    }
    for n in 2..=5 {
        let name = format!("S{n}");
        assert_eq!(level(&name).location(), SinsLocation::Rigid, "{name}");
    }
}

#[test]
fn level_wins_over_a_disagreeing_location() {
    let score = sins(&SinsInput {
        level: Some(level("L3")),
        location: Some(SinsLocation::Rigid),
        ..complete_sins()
    });
    assert_eq!(score.location, Some(SinsLocation::Mobile));
    assert_eq!(score.breakdown[0].points, Some(2));
}

#[test]
fn location_used_when_no_level() {
    let score = sins(&SinsInput {
        level: None,
        location: Some(SinsLocation::SemiRigid),
        ..complete_sins()
    });
    assert_eq!(score.level, None);
    assert_eq!(score.location, Some(SinsLocation::SemiRigid));
    assert_eq!(score.total, Some(1));
}

// --- Incomplete inputs ------------------------------------------------

#[test]
fn mirels_one_missing_item() {
    let full = complete_mirels();
    let cases: [(&str, MirelsInput); 4] = [
        (
            "site",
            MirelsInput {
                site: None,
                ..full.clone()
            },
        ),
        (
            "pain",
            MirelsInput {
                pain: None,
                ..full.clone()
            },
        ),
        (
            "size",
            MirelsInput {
                size: None,
                ..full.clone()
            },
        ),
        (
            "appearance",
            MirelsInput {
                appearance: None,
                ..full.clone()
            },
        ),
    ];
    for (name, input) in cases {
        let score = mirels(&input);
        assert_eq!(score.total, None, "{name}");
        assert_eq!(score.band, None, "{name}");
        assert_eq!(score.missing, vec![name]);
        assert!(!score.is_complete());
        assert_eq!(score.lesion.as_deref(), Some("left femur"));
        let names: Vec<_> = score.breakdown.iter().map(|i| i.name).collect();
        assert_eq!(names, ["site", "pain", "size", "appearance"]);
        for item in &score.breakdown {
            let expected = if item.name == name { None } else { Some(1) };
            assert_eq!(item.points, expected, "{name}: {}", item.name);
        }
    }
}

#[test]
fn sins_one_missing_item() {
    let full = SinsInput {
        level: Some(level("T7")), // semi-rigid, 1
        location: None,
        pain: Some(SinsPain::Mechanical),                     // 3
        lesion: Some(SinsLesion::Lytic),                      // 2
        alignment: Some(SinsAlignment::Subluxation),          // 4
        collapse: Some(SinsCollapse::Lt50),                   // 2
        posterolateral: Some(SinsPosterolateral::Unilateral), // 1
    };
    assert_eq!(sins(&full).total, Some(13));
    let all_points = [1, 3, 2, 4, 2, 1];
    let names = [
        "location",
        "pain",
        "lesion",
        "alignment",
        "collapse",
        "posterolateral",
    ];
    let cases: [SinsInput; 6] = [
        SinsInput {
            level: None,
            ..full.clone()
        },
        SinsInput {
            pain: None,
            ..full.clone()
        },
        SinsInput {
            lesion: None,
            ..full.clone()
        },
        SinsInput {
            alignment: None,
            ..full.clone()
        },
        SinsInput {
            collapse: None,
            ..full.clone()
        },
        SinsInput {
            posterolateral: None,
            ..full.clone()
        },
    ];
    for (i, input) in cases.iter().enumerate() {
        let score = sins(input);
        assert_eq!(score.total, None, "{}", names[i]);
        assert_eq!(score.band, None);
        assert_eq!(score.missing, vec![names[i]]);
        let got_names: Vec<_> = score.breakdown.iter().map(|it| it.name).collect();
        assert_eq!(got_names, names);
        for (j, item) in score.breakdown.iter().enumerate() {
            let expected = if i == j { None } else { Some(all_points[j]) };
            assert_eq!(item.points, expected, "{}", item.name);
        }
    }
}

#[test]
fn sins_without_level_or_location_misses_location() {
    let score = sins(&SinsInput {
        level: None,
        location: None,
        ..complete_sins()
    });
    assert_eq!(score.location, None);
    assert_eq!(score.missing, vec!["location"]);
    assert_eq!(score.total, None);
    assert_eq!(score.band, None);
}

#[test]
fn empty_inputs_miss_everything() {
    let m = mirels(&MirelsInput::default());
    assert_eq!(m.missing, ["site", "pain", "size", "appearance"]);
    assert_eq!(m.total, None);
    let s = sins(&SinsInput::default());
    assert_eq!(
        s.missing,
        [
            "location",
            "pain",
            "lesion",
            "alignment",
            "collapse",
            "posterolateral"
        ]
    );
    assert_eq!(s.band, None);
}

// --- Serde ----------------------------------------------------------------

#[test]
fn level_parses_case_insensitively() {
    let lower: VertebralLevel = serde_json::from_str("\"l3\"").expect("l3");
    let upper: VertebralLevel = serde_json::from_str("\"L3\"").expect("L3");
    assert_eq!(lower, upper);
    assert_eq!(upper.region(), SpinalRegion::Lumbar);
    assert_eq!(upper.number(), 3);
    assert_eq!(serde_json::to_string(&lower).expect("ser"), "\"L3\"");
    assert_eq!(level("c0").to_string(), "C0");
    assert_eq!(level("t12").to_string(), "T12");
}

#[test]
fn level_refuses_unknown_forms() {
    for bad in [
        "L6", "T13", "C8", "X1", "", "L0", "T0", "S0", "S6", "L", "3", "L03", "L+3", " L3", "L3 ",
        "L-1", "T1000", "ĹL3",
    ] {
        assert!(bad.parse::<VertebralLevel>().is_err(), "{bad:?}");
        let json = serde_json::to_string(bad).expect("json string");
        let err = serde_json::from_str::<VertebralLevel>(&json)
            .expect_err(bad)
            .to_string();
        assert!(
            err.contains("C0–C7, T1–T12, L1–L5 or S1–S5"),
            "{bad:?}: {err}"
        );
    }
    assert!(serde_json::from_str::<VertebralLevel>("3").is_err());
}

#[test]
fn level_round_trips_through_serde() {
    for lvl in VertebralLevel::all() {
        let json = serde_json::to_string(&lvl).expect("ser");
        assert_eq!(json, format!("\"{lvl}\""));
        let back: VertebralLevel = serde_json::from_str(&json).expect("de");
        assert_eq!(back, lvl);
    }
}

#[test]
fn sins_input_with_bad_level_is_a_serde_error() {
    let err = serde_json::from_str::<SinsInput>(r#"{"level": "L6"}"#)
        .expect_err("L6")
        .to_string();
    assert!(err.contains("\"L6\""), "{err}");
}

#[test]
fn scores_serialise_as_documented() {
    let score = sins(&SinsInput {
        level: Some(level("L3")),
        location: None,
        ..complete_sins()
    });
    let json = serde_json::to_value(&score).expect("ser");
    assert_eq!(json["level"], "L3");
    assert_eq!(json["location"], "mobile");
    assert_eq!(json["total"], 2);
    assert_eq!(json["band"], "stable");
    assert_eq!(json["breakdown"][0]["name"], "location");
    assert_eq!(json["breakdown"][0]["points"], 2);
    assert_eq!(json["missing"], serde_json::json!([]));

    let m = mirels(&MirelsInput {
        pain: None,
        ..complete_mirels()
    });
    let json = serde_json::to_value(&m).expect("ser");
    assert_eq!(json["lesion"], "left femur");
    assert_eq!(json["total"], serde_json::Value::Null);
    assert_eq!(json["band"], serde_json::Value::Null);
    assert_eq!(json["missing"], serde_json::json!(["pain"]));
    assert_eq!(json["breakdown"][1]["points"], serde_json::Value::Null);
}

#[test]
fn band_words() {
    for band in [MirelsBand::Low, MirelsBand::Borderline, MirelsBand::High] {
        let json = serde_json::to_value(band).expect("ser");
        assert_eq!(json, band.as_str());
    }
    for band in [
        SinsBand::Stable,
        SinsBand::PotentiallyUnstable,
        SinsBand::Unstable,
    ] {
        let json = serde_json::to_value(band).expect("ser");
        assert_eq!(json, band.as_str());
        assert_eq!(band.to_string(), band.as_str());
    }
    assert_eq!(
        SinsBand::PotentiallyUnstable.as_str(),
        "potentially_unstable"
    );
}
