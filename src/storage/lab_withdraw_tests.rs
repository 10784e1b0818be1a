//! Withdrawals (OBX-11 W) at their edges, through the real parser and
//! handler: under an identity mismatch, and dated at a time the sender
//! gave no value of.

use super::*;

/// A withdrawal in a PID whose last name or birth date differs from the
/// file's patient of that IPP and authority: removing a value is the
/// cautious direction, so it is applied (the value removed, the case
/// marked, the withdrawal remembered); the message's values are not.
#[test]
fn a_withdrawal_under_an_identity_mismatch_still_removes_the_value() {
    for (what, from, to) in [
        ("last name", "DUPONT^", "DURAND^"),
        ("birth date", "||19520314|", "||19520315|"),
    ] {
        let mut h = sent(&[obx("F", "1.1")]);
        let w = message(obx("W", ""), 1).replace(from, to);
        assert_eq!(send(&mut h, &w), "AA", "{what}");
        assert_eq!(inr(&h), None, "{what}");
        // The same final result replayed (with the right identity): not applied.
        assert_eq!(send(&mut h, &message(obx("F", "1.1"), 2)), "AA");
        assert_eq!(inr(&h), None, "{what}");
        // A final result in a mismatched PID is still not applied.
        let other = message(obx("F", "1.9").at("20261207081500+0100"), 3).replace(from, to);
        assert_eq!(send(&mut h, &other), "AA");
        assert_eq!(inr(&h), None, "{what}");
        be(&mut h, "chair");
        assert_eq!(
            shown(&h),
            vec![Unusable::Withdrawn, Unusable::ResentAfterWithdrawal],
            "{what}"
        );
        verified(&h);
    }
}

/// The mark of a withdrawal dated at no time the sender gave says so in
/// both languages (not "removed").
#[test]
fn a_withdrawal_at_another_time_says_the_stored_value_may_be_it() {
    let mut h = sent(&[obx("F", "1.1"), obx("W", "").at("20261207")]);
    be(&mut h, "chair");
    let r = coagulation(&h);
    let en = r.message(Lang::En);
    assert!(
        en.contains("INR result on 2026-12-07 withdrawn by the laboratory (GLIMS@LABO-CHU): the stored value of that day"),
        "{en}"
    );
    let fr = r.message(Lang::Fr);
    assert!(
        fr.contains("résultat INR du 07/12/2026 retiré par le laboratoire (GLIMS@LABO-CHU)\u{a0}: la valeur enregistrée de ce jour"),
        "{fr}"
    );
}
