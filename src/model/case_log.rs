//! The case log: every child's spells and follow-ups in model time, as a
//! municipality's case records would hold them (docs/model.md section 5).
//!
//! Records are what the model is fitted to and backtested against, so a
//! run must be able to leave records of its own: the same reader then
//! turns real and simulated records into the same observed quantities.
//! The log is written only by the hooks where a child's place changes
//! (a new child, a move, the end of a case) and where a follow-up is
//! done; it draws no random numbers and changes nothing, and a
//! replication without a log (`Replication::log` is `None`) does no work
//! for it at all.
//!
//! Case slots are reused when cases end, so the log keeps which child
//! each open slot holds; children are numbered in order of first
//! appearance.

use super::case::Place;

/// Why a spell ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpellEnd {
    /// The child moved to the next spell, which starts the same instant
    /// (a crisis to the own rung is a move too: a new spell there).
    Moved,
    /// The case closed.
    Closed,
    /// The child reached the exit age.
    AgedOut,
}

/// One spell of a child on one place.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spell {
    /// Index into [`CaseLog::born`].
    pub child: usize,
    /// Where the child was.
    pub place: Place,
    /// Model time the spell began (before 0 for a start-state case
    /// already on its place).
    pub start: f64,
    /// Model time and reason it ended; `None` while open (at the end of
    /// the run: censored).
    pub end: Option<(f64, SpellEnd)>,
}

/// One completed follow-up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoggedFollowUp {
    /// Index into [`CaseLog::born`].
    pub child: usize,
    /// Model time it was done.
    pub at: f64,
}

/// Every child's spells and follow-ups of one replication.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseLog {
    /// Model time of birth of each child, in order of first appearance.
    pub born: Vec<f64>,
    /// Every spell, in the order they began.
    pub spells: Vec<Spell>,
    /// Every completed follow-up, in the order done.
    pub follow_ups: Vec<LoggedFollowUp>,
    /// Case slot → its open spell (`None`: the slot holds no case).
    open: Vec<Option<usize>>,
}

impl CaseLog {
    /// A new child, born at `born`, appears in case slot `slot` on
    /// `place`, where it has been since `since`.
    pub fn admit(&mut self, slot: usize, born: f64, place: Place, since: f64) {
        let child = self.born.len();
        self.born.push(born);
        if self.open.len() <= slot {
            self.open.resize(slot + 1, None);
        }
        debug_assert!(self.open[slot].is_none(), "a slot holds one case");
        self.open[slot] = Some(self.begin(child, place, since));
    }

    /// The case in `slot` moves to `place` at `now`: its spell ends as
    /// moved and a new one begins.
    pub fn moved(&mut self, slot: usize, place: Place, now: f64) {
        let child = self.close(slot, now, SpellEnd::Moved);
        self.open[slot] = Some(self.begin(child, place, now));
    }

    /// The case in `slot` ends at `now`, closed or aged out; the slot is
    /// free for the next case.
    pub fn ended(&mut self, slot: usize, now: f64, reason: SpellEnd) {
        self.close(slot, now, reason);
    }

    /// The case in `slot` had a follow-up done at `now`.
    pub fn followed_up(&mut self, slot: usize, now: f64) {
        let child = self.spells[self.spell_of(slot)].child;
        self.follow_ups.push(LoggedFollowUp { child, at: now });
    }

    fn begin(&mut self, child: usize, place: Place, start: f64) -> usize {
        self.spells.push(Spell {
            child,
            place,
            start,
            end: None,
        });
        self.spells.len() - 1
    }

    /// End the open spell of `slot`; returns its child.
    fn close(&mut self, slot: usize, now: f64, reason: SpellEnd) -> usize {
        let k = self.spell_of(slot);
        let spell = &mut self.spells[k];
        spell.end = Some((now, reason));
        self.open[slot] = None;
        spell.child
    }

    fn spell_of(&self, slot: usize) -> usize {
        self.open
            .get(slot)
            .copied()
            .flatten()
            .expect("the log follows every case from its first place")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// On paper: two children share slot 0 one after the other; the
    /// first moves twice (once to its own rung) and closes, the second
    /// ages out; a start-state child in slot 1 stays open.
    #[test]
    fn the_log_follows_children_through_reused_slots() {
        let mut log = CaseLog::default();
        log.admit(0, -8.0, Place::Assessment, 0.5);
        log.admit(1, -12.0, Place::Rung(1), -2.0);
        log.moved(0, Place::Rung(0), 0.6);
        log.followed_up(0, 0.8);
        log.moved(0, Place::Rung(0), 0.9);
        log.ended(0, 1.5, SpellEnd::Closed);
        log.admit(0, -17.0, Place::Assessment, 1.6);
        log.followed_up(1, 1.7);
        log.ended(0, 2.0, SpellEnd::AgedOut);

        assert_eq!(log.born, [-8.0, -12.0, -17.0]);
        let spells: Vec<_> = log
            .spells
            .iter()
            .map(|s| (s.child, s.place, s.start, s.end))
            .collect();
        use SpellEnd::*;
        assert_eq!(
            spells,
            [
                (0, Place::Assessment, 0.5, Some((0.6, Moved))),
                (1, Place::Rung(1), -2.0, None),
                (0, Place::Rung(0), 0.6, Some((0.9, Moved))),
                (0, Place::Rung(0), 0.9, Some((1.5, Closed))),
                (2, Place::Assessment, 1.6, Some((2.0, AgedOut))),
            ]
        );
        assert_eq!(
            log.follow_ups,
            [
                LoggedFollowUp { child: 0, at: 0.8 },
                LoggedFollowUp { child: 1, at: 1.7 },
            ]
        );
    }

    #[test]
    #[should_panic(expected = "the log follows every case")]
    fn a_slot_without_a_case_is_a_bug() {
        CaseLog::default().moved(3, Place::Rung(0), 1.0);
    }
}
