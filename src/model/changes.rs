//! Changes over time (docs/model.md section 7): a
//! `[[changes]]` entry swaps in new parameters mid-run. Values are read
//! when used, so most changes need nothing here; what does: costs and
//! caseloads are repriced, the team is resized, rungs that gain follow-ups
//! schedule a first one, changed hazards and intake are redrawn
//! (memoryless), and idle caseworkers look at their queues again.

use super::case::Place;
use super::replication::Replication;
use crate::scenario::file::WEEKS_PER_YEAR;

impl Replication<'_> {
    /// The `k`-th scheduled `[[changes]]` entry takes effect.
    pub(super) fn change(&mut self, k: usize) {
        let old = self.params;
        let new = &self.scenario.changes[k].params;
        self.params = new;
        let now = self.now();
        self.ledger.reprice(new);
        self.team.apply(new, &mut self.cases);
        let on_rungs: Vec<(usize, usize)> = self
            .cases
            .places()
            .filter_map(|(i, place)| match place {
                Place::Rung(r) => Some((i, r)),
                Place::Assessment => None,
            })
            .collect();
        for (i, r) in on_rungs {
            let (before, after) = (&old.steps[r], &new.steps[r]);
            if let (None, Some(f)) = (before.follow_up, after.follow_up) {
                self.schedule_follow_up(i, now + f.first_weeks / WEEKS_PER_YEAR);
            }
            if before.latent != after.latent || before.exit != after.exit {
                self.schedule_clock(i);
            }
        }
        if old.intake.referrals_per_year != new.intake.referrals_per_year {
            self.schedule_referral();
        }
        self.start_idle_workers();
        self.reopen_places();
    }
}
