//! The generic discrete-event core: a clock and a queue of pending events.
//!
//! It knows nothing about children or caseworkers. The whole scheduler is a
//! binary heap ordered by (time, rank, sequence number), in the spirit of
//! SimPy's `(time, priority, id, event)` heap:
//!
//! * **time** is model time in years as a non-negative `f64`. For such
//!   numbers the IEEE bit pattern, read as an unsigned integer, has the same
//!   order as the number, so (time, rank, sequence) packs into one `u128`
//!   key compared in one instruction pair (never `partial_cmp().unwrap()`:
//!   the order is total and a NaN can never silently corrupt the heap);
//! * **rank** lets a caller make one kind of event win ties at the same
//!   instant (reporting-period boundaries must see the state *before* any
//!   other event at that instant);
//! * the **sequence number** makes ties FIFO: events at the same time and rank
//!   are delivered in the order they were scheduled. The order is therefore a
//!   pure function of the calls made, which is what makes replications
//!   reproducible.
//!
//! Cancellation is lazy: instead of searching the heap, an owner bumps a
//! [`Generation`] and every event stamped with an older generation is ignored
//! when it comes out. This keeps events small, plain `Copy` values and the
//! heap operations at O(log n).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// One pending event with its ordering key.
#[derive(Debug, Clone, Copy)]
struct Entry<E> {
    /// `time bits << 64 | rank << 48 | sequence`.
    key: u128,
    event: E,
}

impl<E> Entry<E> {
    fn time(&self) -> f64 {
        f64::from_bits((self.key >> 64) as u64)
    }
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    /// Reversed, so that `BinaryHeap` (a max-heap) pops the earliest entry.
    fn cmp(&self, other: &Self) -> Ordering {
        other.key.cmp(&self.key)
    }
}

const SEQUENCE_BITS: u32 = 48;

/// A simulation clock plus the queue of events still to happen.
///
/// `pop` advances the clock to the popped event's time; time never runs
/// backwards (scheduling into the past is a logic error and panics in debug
/// builds).
#[derive(Debug, Clone)]
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    now: f64,
    next_sequence: u64,
    delivered: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> EventQueue<E> {
    /// An empty queue with the clock at 0 (times are never negative).
    pub fn new() -> Self {
        Self {
            heap: BinaryHeap::new(),
            now: 0.0,
            next_sequence: 0,
            delivered: 0,
        }
    }

    /// Current model time: the time of the last event popped.
    pub fn now(&self) -> f64 {
        self.now
    }

    /// Schedule `event` at `time` with the default rank (1).
    pub fn schedule(&mut self, time: f64, event: E) {
        self.schedule_ranked(time, 1, event);
    }

    /// Schedule `event` at `time`; at equal times a lower `rank` comes first,
    /// and at equal time and rank the earlier call comes first.
    ///
    /// # Panics
    /// If `time` is NaN or before the current time (a logic error: time
    /// never runs backwards).
    pub fn schedule_ranked(&mut self, time: f64, rank: u8, event: E) {
        assert!(
            time >= self.now,
            "event scheduled in the past or at NaN: {time} < {}",
            self.now
        );
        debug_assert!(self.next_sequence < 1 << SEQUENCE_BITS);
        let order = (u64::from(rank) << SEQUENCE_BITS) | self.next_sequence;
        self.next_sequence += 1;
        // `+ 0.0` turns a -0.0 into +0.0, whose bits sort first.
        let key = (u128::from((time + 0.0).to_bits()) << 64) | u128::from(order);
        self.heap.push(Entry { key, event });
    }

    /// Remove the earliest event, advance the clock to its time and return it.
    pub fn pop(&mut self) -> Option<(f64, E)> {
        let entry = self.heap.pop()?;
        self.now = entry.time();
        self.delivered += 1;
        Some((self.now, entry.event))
    }

    /// Time of the earliest pending event, without removing it.
    pub fn peek_time(&self) -> Option<f64> {
        self.heap.peek().map(Entry::time)
    }

    /// Number of pending events (stale, lazily cancelled ones included).
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// True when nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    /// Keep only the pending events for which `keep` is true.
    ///
    /// Lazy cancellation leaves stale events in the heap until their time
    /// comes; an owner that knows how many are live can call this now and
    /// then to keep memory proportional to the live events, not to all
    /// events ever cancelled. O(n).
    pub fn retain(&mut self, mut keep: impl FnMut(&E) -> bool) {
        self.heap.retain(|entry| keep(&entry.event));
    }

    /// How many events have been popped so far: the engine's work measure.
    pub fn delivered(&self) -> u64 {
        self.delivered
    }
}

/// A counter for lazy cancellation.
///
/// An owner (a case, a caseworker) keeps one `Generation` per kind of pending
/// event; each scheduled event carries a [`Stamp`] of it. Bumping the
/// generation cancels every event stamped before, in O(1), without touching
/// the heap.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Generation(u32);

/// The generation an event was scheduled under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp(u32);

impl Generation {
    /// The stamp for an event scheduled now.
    pub fn stamp(self) -> Stamp {
        Stamp(self.0)
    }

    /// Cancel every event stamped so far and return the stamp for the next.
    pub fn bump(&mut self) -> Stamp {
        self.0 = self.0.wrapping_add(1);
        Stamp(self.0)
    }

    /// Whether an event with this stamp is still wanted.
    pub fn is_current(self, stamp: Stamp) -> bool {
        self.0 == stamp.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_order_and_advances_the_clock() {
        let mut q = EventQueue::new();
        for (t, e) in [(3.0, 'c'), (1.0, 'a'), (2.0, 'b'), (0.5, 'z')] {
            q.schedule(t, e);
        }
        let mut seen = Vec::new();
        while let Some((t, e)) = q.pop() {
            assert_eq!(q.now(), t);
            seen.push(e);
        }
        assert_eq!(seen, ['z', 'a', 'b', 'c']);
        assert_eq!(q.delivered(), 4);
    }

    #[test]
    fn ties_are_fifo_and_rank_wins_ties() {
        let mut q = EventQueue::new();
        q.schedule(1.0, 1);
        q.schedule(1.0, 2);
        q.schedule_ranked(1.0, 0, 0);
        q.schedule(1.0, 3);
        q.schedule(0.0, -1);
        let order: Vec<i32> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, [-1, 0, 1, 2, 3]);
    }

    #[test]
    fn events_scheduled_while_running_interleave_correctly() {
        let mut q = EventQueue::new();
        q.schedule(1.0, "first");
        q.schedule(5.0, "last");
        let (_, e) = q.pop().unwrap();
        assert_eq!(e, "first");
        q.schedule(q.now() + 1.0, "second");
        assert_eq!(q.peek_time(), Some(2.0));
        assert_eq!(q.pop().unwrap().1, "second");
        assert_eq!(q.pop().unwrap().1, "last");
        assert!(q.is_empty());
    }

    #[test]
    fn bumping_a_generation_cancels_earlier_stamps() {
        let mut generation = Generation::default();
        let mut q = EventQueue::new();
        q.schedule(1.0, generation.stamp());
        q.schedule(2.0, generation.stamp());
        let fresh = generation.bump();
        q.schedule(3.0, fresh);
        let live: Vec<f64> = std::iter::from_fn(|| q.pop())
            .filter(|(_, s)| generation.is_current(*s))
            .map(|(t, _)| t)
            .collect();
        assert_eq!(live, [3.0]);
    }

    #[test]
    fn retain_drops_cancelled_events_and_keeps_order() {
        let mut q = EventQueue::new();
        for i in 0..100u32 {
            q.schedule(f64::from(100 - i), i);
        }
        q.retain(|&i| i % 3 == 0);
        assert_eq!(q.len(), 34);
        let order: Vec<u32> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        let mut expected: Vec<u32> = (0..100).filter(|i| i % 3 == 0).collect();
        expected.reverse();
        assert_eq!(order, expected);
    }

    #[test]
    fn interleaved_operations_match_a_sorted_reference() {
        use rand::{RngExt, SeedableRng, rngs::Xoshiro256PlusPlus};
        use std::collections::BTreeMap;
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
        let mut q = EventQueue::new();
        let mut reference = BTreeMap::new(); // (time bits, sequence) → id
        let mut sequence = 0u64;
        for id in 0..20_000u32 {
            if rng.random::<f64>() < 0.55 {
                // Coarse times, so that many ties occur.
                let t = q.now() + f64::from(rng.random_range(0..50u32)) / 8.0;
                q.schedule(t, id);
                reference.insert((t.to_bits(), sequence), id);
                sequence += 1;
            } else if let Some((_, id)) = q.pop() {
                let (&key, &want) = reference.iter().next().unwrap();
                reference.remove(&key);
                assert_eq!(id, want);
            }
            if id % 5_000 == 4_999 {
                q.retain(|&e| e % 2 == 0);
                reference.retain(|_, e| *e % 2 == 0);
            }
        }
        assert_eq!(q.len(), reference.len());
    }

    #[test]
    fn many_random_events_come_out_sorted() {
        use rand::{RngExt, SeedableRng, rngs::Xoshiro256PlusPlus};
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        let mut q = EventQueue::new();
        for i in 0..10_000u32 {
            q.schedule(rng.random::<f64>(), i);
        }
        let mut last = (f64::NEG_INFINITY, 0u32);
        while let Some((t, i)) = q.pop() {
            assert!(t > last.0 || (t == last.0 && i > last.1));
            last = (t, i);
        }
    }
}
