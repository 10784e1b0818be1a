//! Property tests of the Mirels and SINS scores.

use ir_committee::domain::model::{MirelsInput, SinsInput};
use ir_committee::domain::scores::{MirelsBand, ScoreItem, SinsBand, VertebralLevel, mirels, sins};
use ir_committee::domain::vocab::{
    MirelsAppearance, MirelsPain, MirelsSite, MirelsSize, SinsAlignment, SinsCollapse, SinsLesion,
    SinsLocation, SinsPain, SinsPosterolateral,
};
use proptest::prelude::*;
use proptest::sample::select;

fn level() -> impl Strategy<Value = VertebralLevel> {
    select(VertebralLevel::all().collect::<Vec<_>>())
}

fn complete_mirels() -> impl Strategy<Value = MirelsInput> {
    (
        proptest::option::of("[a-z ]{0,12}"),
        select(MirelsSite::ALL),
        select(MirelsPain::ALL),
        select(MirelsSize::ALL),
        select(MirelsAppearance::ALL),
    )
        .prop_map(|(lesion, site, pain, size, appearance)| MirelsInput {
            lesion,
            site: Some(site),
            pain: Some(pain),
            size: Some(size),
            appearance: Some(appearance),
        })
}

fn any_mirels() -> impl Strategy<Value = MirelsInput> {
    (
        proptest::option::of("[a-z ]{0,12}"),
        proptest::option::of(select(MirelsSite::ALL)),
        proptest::option::of(select(MirelsPain::ALL)),
        proptest::option::of(select(MirelsSize::ALL)),
        proptest::option::of(select(MirelsAppearance::ALL)),
    )
        .prop_map(|(lesion, site, pain, size, appearance)| MirelsInput {
            lesion,
            site,
            pain,
            size,
            appearance,
        })
}

/// Complete: a level, a location, or both.
fn complete_sins() -> impl Strategy<Value = SinsInput> {
    let place = prop_oneof![
        level().prop_map(|l| (Some(l), None)),
        select(SinsLocation::ALL).prop_map(|l| (None, Some(l))),
        (level(), select(SinsLocation::ALL)).prop_map(|(l, loc)| (Some(l), Some(loc))),
    ];
    (
        place,
        select(SinsPain::ALL),
        select(SinsLesion::ALL),
        select(SinsAlignment::ALL),
        select(SinsCollapse::ALL),
        select(SinsPosterolateral::ALL),
    )
        .prop_map(
            |((level, location), pain, lesion, alignment, collapse, posterolateral)| SinsInput {
                level,
                location,
                pain: Some(pain),
                lesion: Some(lesion),
                alignment: Some(alignment),
                collapse: Some(collapse),
                posterolateral: Some(posterolateral),
            },
        )
}

fn any_sins() -> impl Strategy<Value = SinsInput> {
    (
        proptest::option::of(level()),
        proptest::option::of(select(SinsLocation::ALL)),
        proptest::option::of(select(SinsPain::ALL)),
        proptest::option::of(select(SinsLesion::ALL)),
        proptest::option::of(select(SinsAlignment::ALL)),
        proptest::option::of(select(SinsCollapse::ALL)),
        proptest::option::of(select(SinsPosterolateral::ALL)),
    )
        .prop_map(
            |(level, location, pain, lesion, alignment, collapse, posterolateral)| SinsInput {
                level,
                location,
                pain,
                lesion,
                alignment,
                collapse,
                posterolateral,
            },
        )
}

fn sum(breakdown: &[ScoreItem]) -> u8 {
    breakdown.iter().filter_map(|i| i.points).sum()
}

fn missing(breakdown: &[ScoreItem]) -> Vec<&'static str> {
    breakdown
        .iter()
        .filter(|i| i.points.is_none())
        .map(|i| i.name)
        .collect()
}

proptest! {
    #[test]
    fn complete_mirels_totals_4_to_12(input in complete_mirels()) {
        let score = mirels(&input);
        let total = score.total.expect("complete input has a total");
        prop_assert!((4..=12).contains(&total), "total {}", total);
        prop_assert_eq!(total, sum(&score.breakdown));
        prop_assert!(score.missing.is_empty());
        prop_assert_eq!(score.lesion, input.lesion);
        let expected = match total {
            ..=7 => MirelsBand::Low,
            8 => MirelsBand::Borderline,
            _ => MirelsBand::High,
        };
        prop_assert_eq!(score.band, Some(expected));
    }

    #[test]
    fn complete_sins_totals_0_to_18(input in complete_sins()) {
        let score = sins(&input);
        let total = score.total.expect("complete input has a total");
        prop_assert!(total <= 18, "total {}", total);
        prop_assert_eq!(total, sum(&score.breakdown));
        prop_assert!(score.missing.is_empty());
        let expected = match total {
            0..=6 => SinsBand::Stable,
            7..=12 => SinsBand::PotentiallyUnstable,
            _ => SinsBand::Unstable,
        };
        prop_assert_eq!(score.band, Some(expected));
    }

    #[test]
    fn mirels_shape_and_incompleteness(input in any_mirels()) {
        let score = mirels(&input);
        let names: Vec<_> = score.breakdown.iter().map(|i| i.name).collect();
        prop_assert_eq!(names, vec!["site", "pain", "size", "appearance"]);
        prop_assert_eq!(&score.missing, &missing(&score.breakdown));
        if score.missing.is_empty() {
            prop_assert_eq!(score.total, Some(sum(&score.breakdown)));
            prop_assert_eq!(score.band, score.total.map(MirelsBand::from_total));
        } else {
            prop_assert_eq!(score.total, None);
            prop_assert_eq!(score.band, None);
        }
    }

    #[test]
    fn sins_shape_and_incompleteness(input in any_sins()) {
        let score = sins(&input);
        let names: Vec<_> = score.breakdown.iter().map(|i| i.name).collect();
        prop_assert_eq!(
            names,
            vec!["location", "pain", "lesion", "alignment", "collapse", "posterolateral"]
        );
        prop_assert_eq!(&score.missing, &missing(&score.breakdown));
        // The level, when given, decides the location.
        let location = input.level.map(VertebralLevel::location).or(input.location);
        prop_assert_eq!(score.location, location);
        prop_assert_eq!(score.level, input.level);
        if score.missing.is_empty() {
            prop_assert_eq!(score.total, Some(sum(&score.breakdown)));
            prop_assert_eq!(score.band, score.total.map(SinsBand::from_total));
        } else {
            prop_assert_eq!(score.total, None);
            prop_assert_eq!(score.band, None);
        }
    }

    #[test]
    fn level_display_parse_round_trip(l in level(), lower in any::<bool>()) {
        let text = if lower { l.to_string().to_lowercase() } else { l.to_string() };
        let back: VertebralLevel = text.parse().expect("displayed level parses");
        prop_assert_eq!(back, l);
    }

    #[test]
    fn arbitrary_text_never_panics_and_round_trips(s in "\\PC{0,5}") {
        if let Ok(l) = s.parse::<VertebralLevel>() {
            prop_assert!(l.to_string().eq_ignore_ascii_case(&s));
        }
    }
}
