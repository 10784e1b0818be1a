//! Mirels and SINS (référentiel Annexe 4).
//!
//! A score is computed item by item. Every item's points are kept in the
//! breakdown; if any item is unknown there is **no total and no band**, and the
//! score names its missing items instead (domain §4).
//!
//! The point tables live in two places only: [`MirelsSite::points`] and its
//! siblings (Mirels), and [`SinsLocation::points`] and its siblings (SINS).

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::model::{MirelsInput, SinsInput};
use super::vocab::{
    MirelsAppearance, MirelsPain, MirelsSite, MirelsSize, SinsAlignment, SinsCollapse, SinsLesion,
    SinsLocation, SinsPain, SinsPosterolateral,
};

// ---------------------------------------------------------------------------
// Vertebral levels
// ---------------------------------------------------------------------------

/// A region of the spine, in cranio-caudal order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SpinalRegion {
    /// `C0` (occiput) to `C7`.
    Cervical,
    /// `T1` to `T12`.
    Thoracic,
    /// `L1` to `L5`.
    Lumbar,
    /// `S1` to `S5`.
    Sacral,
}

impl SpinalRegion {
    /// Every region, cranio-caudal.
    pub const ALL: [SpinalRegion; 4] = [
        SpinalRegion::Cervical,
        SpinalRegion::Thoracic,
        SpinalRegion::Lumbar,
        SpinalRegion::Sacral,
    ];

    /// The level prefix: `C`, `T`, `L` or `S`.
    pub fn letter(self) -> char {
        match self {
            SpinalRegion::Cervical => 'C',
            SpinalRegion::Thoracic => 'T',
            SpinalRegion::Lumbar => 'L',
            SpinalRegion::Sacral => 'S',
        }
    }

    /// The first and last level numbers of the region (inclusive).
    pub fn numbers(self) -> (u8, u8) {
        match self {
            SpinalRegion::Cervical => (0, 7),
            SpinalRegion::Thoracic => (1, 12),
            SpinalRegion::Lumbar => (1, 5),
            SpinalRegion::Sacral => (1, 5),
        }
    }

    fn from_letter(letter: char) -> Option<Self> {
        match letter.to_ascii_uppercase() {
            'C' => Some(SpinalRegion::Cervical),
            'T' => Some(SpinalRegion::Thoracic),
            'L' => Some(SpinalRegion::Lumbar),
            'S' => Some(SpinalRegion::Sacral),
            _ => None,
        }
    }
}

/// A vertebral level: `C0`…`C7`, `T1`…`T12`, `L1`…`L5`, `S1`…`S5` (`C0` is
/// the occiput). Always valid once built.
///
/// Serialised as its string form (`"L3"`); parsing is case-insensitive
/// (`"l3"` is `L3`) but otherwise strict: no spaces, no sign, no leading zero.
/// Levels order cranio-caudally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VertebralLevel {
    region: SpinalRegion,
    number: u8,
}

impl VertebralLevel {
    /// The level `number` of `region`, if it exists (`C0`–`C7`, `T1`–`T12`,
    /// `L1`–`L5`, `S1`–`S5`).
    pub fn new(region: SpinalRegion, number: u8) -> Option<Self> {
        let (first, last) = region.numbers();
        (first..=last)
            .contains(&number)
            .then_some(VertebralLevel { region, number })
    }

    pub fn region(self) -> SpinalRegion {
        self.region
    }

    pub fn number(self) -> u8 {
        self.number
    }

    /// Every level, cranio-caudal (`C0` first, `S5` last; 30 in all).
    pub fn all() -> impl Iterator<Item = VertebralLevel> {
        SpinalRegion::ALL.into_iter().flat_map(|region| {
            let (first, last) = region.numbers();
            (first..=last).map(move |number| VertebralLevel { region, number })
        })
    }

    /// The SINS location class of this level (Fisher, Spine 2010;35:E1221):
    /// junctional O(C0)–C2, C7–T2, T11–L1, L5–S1; mobile C3–C6, L2–L4;
    /// semi-rigid T3–T10; rigid S2–S5.
    ///
    /// L2, L3 and L4 are **mobile** (2 points): some published calculators
    /// wrongly score them 0.
    pub fn location(self) -> SinsLocation {
        let n = self.number;
        match self.region {
            // C0–C2 and C7 are junctional.
            SpinalRegion::Cervical => match n {
                3..=6 => SinsLocation::Mobile,
                _ => SinsLocation::Junctional,
            },
            // T1–T2 and T11–T12 are junctional.
            SpinalRegion::Thoracic => match n {
                3..=10 => SinsLocation::SemiRigid,
                _ => SinsLocation::Junctional,
            },
            // L1 and L5 are junctional.
            SpinalRegion::Lumbar => match n {
                2..=4 => SinsLocation::Mobile,
                _ => SinsLocation::Junctional,
            },
            // S1 is junctional.
            SpinalRegion::Sacral => match n {
                1 => SinsLocation::Junctional,
                _ => SinsLocation::Rigid,
            },
        }
    }
}

impl fmt::Display for VertebralLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.region.letter(), self.number)
    }
}

/// A string that is not a vertebral level.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ParseLevelError {
    /// The refused text (truncated if long).
    pub input: String,
}

impl std::fmt::Display for ParseLevelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::text::error::misc::vertebral_level(
            crate::text::Lang::En,
            &self.input,
        ))
    }
}

impl ParseLevelError {
    fn new(input: &str) -> Self {
        ParseLevelError {
            input: input.chars().take(16).collect(),
        }
    }
}

impl FromStr for VertebralLevel {
    type Err = ParseLevelError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseLevelError::new(s);
        let mut chars = s.chars();
        let region = chars
            .next()
            .and_then(SpinalRegion::from_letter)
            .ok_or_else(err)?;
        let digits = chars.as_str();
        let well_formed = !digits.is_empty()
            && digits.len() <= 2
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !(digits.len() > 1 && digits.starts_with('0'));
        if !well_formed {
            return Err(err());
        }
        let number: u8 = digits.parse().map_err(|_| err())?;
        VertebralLevel::new(region, number).ok_or_else(err)
    }
}

impl Serialize for VertebralLevel {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for VertebralLevel {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LevelVisitor;

        impl Visitor<'_> for LevelVisitor {
            type Value = VertebralLevel;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a vertebral level, C0–C7, T1–T12, L1–L5 or S1–S5 (e.g. \"L3\")")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<VertebralLevel, E> {
                v.parse().map_err(E::custom)
            }
        }

        deserializer.deserialize_str(LevelVisitor)
    }
}

// ---------------------------------------------------------------------------
// Point tables
// ---------------------------------------------------------------------------

/// Mirels points (Mirels H., Clin Orthop 1989;249:256–264): each item scores
/// 1 to 3, total 4 to 12.
impl MirelsSite {
    /// Upper limb 1, lower limb 2, proximal femur (trochanteric) 3.
    pub fn points(self) -> u8 {
        match self {
            MirelsSite::UpperLimb => 1,
            MirelsSite::LowerLimb => 2,
            MirelsSite::ProximalFemur => 3,
        }
    }
}

/// See [`MirelsSite::points`] (Mirels, Clin Orthop 1989;249:256).
impl MirelsPain {
    /// Mild 1, moderate 2, functional 3.
    pub fn points(self) -> u8 {
        match self {
            MirelsPain::Mild => 1,
            MirelsPain::Moderate => 2,
            MirelsPain::Functional => 3,
        }
    }
}

/// See [`MirelsSite::points`] (Mirels, Clin Orthop 1989;249:256).
impl MirelsSize {
    /// Fraction of the cortex: < 1/3 1, 1/3–2/3 2, > 2/3 3.
    pub fn points(self) -> u8 {
        match self {
            MirelsSize::Lt13 => 1,
            MirelsSize::From13To23 => 2,
            MirelsSize::Gt23 => 3,
        }
    }
}

/// See [`MirelsSite::points`] (Mirels, Clin Orthop 1989;249:256).
impl MirelsAppearance {
    /// Blastic 1, mixed 2, lytic 3.
    pub fn points(self) -> u8 {
        match self {
            MirelsAppearance::Blastic => 1,
            MirelsAppearance::Mixed => 2,
            MirelsAppearance::Lytic => 3,
        }
    }
}

/// SINS points (Fisher C.G. et al., Spine 2010;35(22):E1221–E1229): six items,
/// total 0 to 18.
impl SinsLocation {
    /// Junctional 3, mobile 2, semi-rigid 1, rigid 0.
    pub fn points(self) -> u8 {
        match self {
            SinsLocation::Junctional => 3,
            SinsLocation::Mobile => 2,
            SinsLocation::SemiRigid => 1,
            SinsLocation::Rigid => 0,
        }
    }
}

/// See [`SinsLocation::points`] (Fisher, Spine 2010;35:E1221).
impl SinsPain {
    /// Mechanical 3, occasional non-mechanical 1, pain-free 0.
    pub fn points(self) -> u8 {
        match self {
            SinsPain::Mechanical => 3,
            SinsPain::NonMechanical => 1,
            SinsPain::PainFree => 0,
        }
    }
}

/// See [`SinsLocation::points`] (Fisher, Spine 2010;35:E1221).
impl SinsLesion {
    /// Lytic 2, mixed 1, blastic 0.
    pub fn points(self) -> u8 {
        match self {
            SinsLesion::Lytic => 2,
            SinsLesion::Mixed => 1,
            SinsLesion::Blastic => 0,
        }
    }
}

/// See [`SinsLocation::points`] (Fisher, Spine 2010;35:E1221).
impl SinsAlignment {
    /// Subluxation/translation 4, de novo deformity 2, normal 0.
    pub fn points(self) -> u8 {
        match self {
            SinsAlignment::Subluxation => 4,
            SinsAlignment::Deformity => 2,
            SinsAlignment::Normal => 0,
        }
    }
}

/// See [`SinsLocation::points`] (Fisher, Spine 2010;35:E1221).
impl SinsCollapse {
    /// > 50 % 3, < 50 % 2, none with > 50 % of the body involved 1, none 0.
    pub fn points(self) -> u8 {
        match self {
            SinsCollapse::Gt50 => 3,
            SinsCollapse::Lt50 => 2,
            SinsCollapse::NoneGt50Involved => 1,
            SinsCollapse::None => 0,
        }
    }
}

/// See [`SinsLocation::points`] (Fisher, Spine 2010;35:E1221).
impl SinsPosterolateral {
    /// Bilateral 3, unilateral 1, none 0.
    pub fn points(self) -> u8 {
        match self {
            SinsPosterolateral::Bilateral => 3,
            SinsPosterolateral::Unilateral => 1,
            SinsPosterolateral::None => 0,
        }
    }
}

// ---------------------------------------------------------------------------
// Bands
// ---------------------------------------------------------------------------

/// Mirels fracture-risk band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MirelsBand {
    /// ≤ 7: fracture risk about 4 %, observation or radiotherapy.
    Low,
    /// 8: about 15 %, case by case.
    Borderline,
    /// ≥ 9: > 33 %, prophylactic stabilisation.
    High,
}

impl MirelsBand {
    /// The band of a Mirels total: ≤ 7 low, 8 borderline, ≥ 9 high.
    pub fn from_total(total: u8) -> Self {
        match total {
            0..=7 => MirelsBand::Low,
            8 => MirelsBand::Borderline,
            _ => MirelsBand::High,
        }
    }

    /// `"low"`, `"borderline"` or `"high"` (as serialised).
    pub fn as_str(self) -> &'static str {
        match self {
            MirelsBand::Low => "low",
            MirelsBand::Borderline => "borderline",
            MirelsBand::High => "high",
        }
    }
}

impl fmt::Display for MirelsBand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// SINS stability band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SinsBand {
    /// 0–6.
    Stable,
    /// 7–12 (7 and above: surgical opinion).
    PotentiallyUnstable,
    /// 13–18.
    Unstable,
}

impl SinsBand {
    /// The band of a SINS total: 0–6 stable, 7–12 potentially unstable,
    /// 13 and above unstable.
    pub fn from_total(total: u8) -> Self {
        match total {
            0..=6 => SinsBand::Stable,
            7..=12 => SinsBand::PotentiallyUnstable,
            _ => SinsBand::Unstable,
        }
    }

    /// `"stable"`, `"potentially_unstable"` or `"unstable"` (as serialised).
    pub fn as_str(self) -> &'static str {
        match self {
            SinsBand::Stable => "stable",
            SinsBand::PotentiallyUnstable => "potentially_unstable",
            SinsBand::Unstable => "unstable",
        }
    }
}

impl fmt::Display for SinsBand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

// ---------------------------------------------------------------------------
// Scores
// ---------------------------------------------------------------------------

/// One item of a breakdown: its name (the JSON key) and its points, `None`
/// when missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScoreItem {
    pub name: &'static str,
    pub points: Option<u8>,
}

impl ScoreItem {
    fn new(name: &'static str, points: Option<u8>) -> Self {
        ScoreItem { name, points }
    }
}

/// The sum of the breakdown, `None` if any item is missing.
fn total_of(breakdown: &[ScoreItem]) -> Option<u8> {
    breakdown.iter().map(|item| item.points).sum()
}

/// The names of the missing items, in breakdown order.
fn missing_of(breakdown: &[ScoreItem]) -> Vec<&'static str> {
    breakdown
        .iter()
        .filter(|item| item.points.is_none())
        .map(|item| item.name)
        .collect()
}

/// A Mirels score for one long-bone lesion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MirelsScore {
    pub lesion: Option<String>,
    /// Always the 4 items, in order: site, pain, size, appearance.
    pub breakdown: Vec<ScoreItem>,
    /// 4–12; `None` when any item is missing.
    pub total: Option<u8>,
    /// `None` when incomplete.
    pub band: Option<MirelsBand>,
    /// Names of the missing items, in breakdown order.
    pub missing: Vec<&'static str>,
}

impl MirelsScore {
    /// Whether every item is known (then `total` and `band` are set).
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
    }
}

/// A SINS score for one vertebral level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SinsScore {
    pub level: Option<VertebralLevel>,
    /// Derived from the level when one is given; else the input's location.
    pub location: Option<SinsLocation>,
    /// Always the 6 items, in order: location, pain, lesion, alignment,
    /// collapse, posterolateral.
    pub breakdown: Vec<ScoreItem>,
    /// 0–18; `None` when any item is missing.
    pub total: Option<u8>,
    /// `None` when incomplete.
    pub band: Option<SinsBand>,
    /// Names of the missing items, in breakdown order.
    pub missing: Vec<&'static str>,
}

impl SinsScore {
    /// Whether every item is known (then `total` and `band` are set).
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
    }
}

/// Scores one Mirels lesion. Incomplete when any item is unknown.
pub fn mirels(input: &MirelsInput) -> MirelsScore {
    let breakdown = vec![
        ScoreItem::new("site", input.site.map(MirelsSite::points)),
        ScoreItem::new("pain", input.pain.map(MirelsPain::points)),
        ScoreItem::new("size", input.size.map(MirelsSize::points)),
        ScoreItem::new("appearance", input.appearance.map(MirelsAppearance::points)),
    ];
    let total = total_of(&breakdown);
    MirelsScore {
        lesion: input.lesion.clone(),
        missing: missing_of(&breakdown),
        band: total.map(MirelsBand::from_total),
        total,
        breakdown,
    }
}

/// Scores one SINS level. Incomplete when any item is unknown.
///
/// The location item is derived from `input.level` when one is given; the
/// input's `location` is used only when there is no level. **If both are given
/// and disagree, the level wins** (the recorded location is ignored): the
/// level is the primary fact, and deriving from it avoids the L2–L4 error of
/// some calculators.
pub fn sins(input: &SinsInput) -> SinsScore {
    let location = input.level.map(VertebralLevel::location).or(input.location);
    let breakdown = vec![
        ScoreItem::new("location", location.map(SinsLocation::points)),
        ScoreItem::new("pain", input.pain.map(SinsPain::points)),
        ScoreItem::new("lesion", input.lesion.map(SinsLesion::points)),
        ScoreItem::new("alignment", input.alignment.map(SinsAlignment::points)),
        ScoreItem::new("collapse", input.collapse.map(SinsCollapse::points)),
        ScoreItem::new(
            "posterolateral",
            input.posterolateral.map(SinsPosterolateral::points),
        ),
    ];
    let total = total_of(&breakdown);
    SinsScore {
        level: input.level,
        location,
        missing: missing_of(&breakdown),
        band: total.map(SinsBand::from_total),
        total,
        breakdown,
    }
}

#[cfg(test)]
mod tests;
