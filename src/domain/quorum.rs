//! The committee's quorum (issue 14 §3): how many people of each role must
//! attend (rules `meeting.quorum`, one row per role; by default one IR
//! radiologist and one anaesthetist), read against the recorded
//! attendance. The chair counts as an IR radiologist.

use super::roles::Role;

/// Whether someone of role `present` counts for `needed`.
fn counts_as(present: Role, needed: Role) -> bool {
    present == needed || (present == Role::Chair && needed == Role::Radiologist)
}

/// The roles short of the quorum, each with how many are missing (empty:
/// the quorum holds).
pub fn missing(quorum: &[(Role, u32)], present: &[Role]) -> Vec<(Role, u32)> {
    quorum
        .iter()
        .filter_map(|&(role, n)| {
            let have = present.iter().filter(|&&p| counts_as(p, role)).count();
            let have = u32::try_from(have).unwrap_or(u32::MAX);
            (have < n).then_some((role, n - have))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Role::*;

    #[test]
    fn the_chair_counts_as_an_ir_radiologist_and_each_role_is_counted() {
        let q = [(Radiologist, 1), (Anaesthetist, 1)];
        assert_eq!(missing(&q, &[Chair, Anaesthetist]), vec![]);
        assert_eq!(missing(&q, &[Radiologist, Anaesthetist]), vec![]);
        assert_eq!(missing(&q, &[Chair, Radiographer]), vec![(Anaesthetist, 1)]);
        assert_eq!(missing(&q, &[]), vec![(Radiologist, 1), (Anaesthetist, 1)]);
        assert_eq!(
            missing(&[(Anaesthetist, 2)], &[Anaesthetist]),
            vec![(Anaesthetist, 1)]
        );
        assert_eq!(missing(&[], &[]), vec![]);
    }
}
