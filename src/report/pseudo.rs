//! The `check` report as a viewer reads it: pseudonymised exactly as a
//! pseudonymised export is (`docs/export-format.md`): the name becomes
//! initials, the birth date is left out (the age stays), the IPP and the
//! scheduling system's id become keyed pseudonyms, and free text (notes,
//! decision reasons, override justifications, the values on file a person
//! must settle, which may hold consent details) is left out; that there was
//! a reason or a justification stays.

use super::{CaseReport, WeekReport};
use crate::export::pseudo::{Pseudonymiser, initials};

/// Pseudonymises `r` in place and marks it so.
pub fn pseudonymise(r: &mut WeekReport, ps: &Pseudonymiser) {
    r.pseudonymised = true;
    for c in r.to_reschedule.iter_mut().chain(r.cases.iter_mut()) {
        case(c, ps);
    }
}

fn case(c: &mut CaseReport, ps: &Pseudonymiser) {
    c.external_id = ps.case(&c.external_id);
    let p = &mut c.patient;
    p.initials = Some(initials(
        p.last_name.as_deref().unwrap_or_default(),
        p.first_name.as_deref().unwrap_or_default(),
    ));
    p.last_name = None;
    p.first_name = None;
    p.birth_date = None;
    p.ipp = ps.ipp(&p.ipp);
    c.notes.clear();
    for d in &mut c.decisions {
        d.reason = d.reason.as_ref().map(|_| String::new());
        d.override_justification = d.override_justification.as_ref().map(|_| String::new());
    }
    for v in &mut c.pending {
        v.value = String::new();
    }
}
