//! Engine speed: events and case-years per second on one core, and the
//! speed-up of a parallel Monte Carlo run.
//!
//! Run with `cargo bench --bench engine` (a few minutes). Groups:
//!
//! * `replication/<scenario>/events` — one replication of a scenario on the
//!   calling thread via [`trappe::model::simulate`], throughput in events
//!   (`ReplicationOutput::events`), so criterion's `elem/s` is events/s per
//!   core;
//! * `replication/<scenario>/milli_case_years` — the same replication, with
//!   throughput in **milli**-case-years (criterion counts whole elements):
//!   divide criterion's `elem/s` by 1,000 for case-years/s per core;
//! * `monte_carlo/herning_<N>_reps/threads/<t>` — a full
//!   [`trappe::monte_carlo::run`] of N Herning replications on a rayon pool
//!   of 1 and of 2 threads, throughput in events; the 2-thread speed-up is
//!   time(1) / time(2).
//!
//! Scenarios: `herning-sverigesmodel.toml` (~200 cases, 4-8 caseworkers,
//! warm-up + horizon = 7 simulated years) and its trappe 0.1 copy from
//! `tests/golden/inputs/` (no version-2 keys: must not get slower),
//! `teenagers.toml` (age bands, a case-list start, destinations),
//! `foster-shortage.toml` (placement capacity) and
//! `large-municipality.toml` (~5,000 cases, 104 caseworkers, 15 simulated
//! years). Event and case-year
//! counts are deterministic per (scenario, seed, replication), so they are
//! computed once, before timing, and printed.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use trappe::metrics::Layout;
use trappe::model::simulate;
use trappe::{Override, Scenario, monte_carlo};

/// Replication index timed in the single-replication benches.
const REPLICATION: u64 = 0;
/// Replications in the parallel Herning run.
const PARALLEL_REPS: u64 = 200;

fn load(file: &str, overrides: &[Override]) -> Scenario {
    // A bare name is a shipped scenario; a path is relative to the crate.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = if file.contains('/') {
        root.join(file)
    } else {
        root.join("scenarios").join(file)
    };
    Scenario::load(&path, overrides).unwrap_or_else(|e| panic!("{e}"))
}

/// One replication on one thread, reported as events/s and case-years/s.
fn bench_replication(c: &mut Criterion, name: &str, file: &str, long: bool) {
    let scenario = load(file, &[]);
    let layout = Layout::new(&scenario.params);
    let out = simulate(&scenario, &layout, REPLICATION);
    let milli_case_years = (out.case_years * 1000.0).round() as u64;
    eprintln!(
        "{name}: replication {REPLICATION}: {} events, {:.1} case-years ({:.2} events per case-year)",
        out.events,
        out.case_years,
        out.events as f64 / out.case_years
    );

    let mut group = c.benchmark_group(format!("replication/{name}"));
    group.sample_size(10);
    if long {
        // ~0.1-0.2 s per iteration: one iteration per sample, not 1..=10.
        group.sampling_mode(SamplingMode::Flat);
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(3));
    } else {
        group.warm_up_time(Duration::from_millis(500));
        group.measurement_time(Duration::from_secs(3));
    }
    group.throughput(Throughput::Elements(out.events));
    group.bench_function("events", |b| {
        b.iter(|| simulate(black_box(&scenario), &layout, black_box(REPLICATION)))
    });
    group.throughput(Throughput::Elements(milli_case_years));
    group.bench_function("milli_case_years", |b| {
        b.iter(|| simulate(black_box(&scenario), &layout, black_box(REPLICATION)))
    });
    group.finish();
}

fn replication_herning(c: &mut Criterion) {
    bench_replication(c, "herning", "herning-sverigesmodel.toml", false);
}

fn replication_large(c: &mut Criterion) {
    bench_replication(c, "large", "large-municipality.toml", true);
}

/// Herning as trappe 0.1 shipped it (the golden test's frozen copy, no
/// version-2 keys): the figure that must not get slower as features land.
fn replication_herning_0_1(c: &mut Criterion) {
    bench_replication(
        c,
        "herning_0_1",
        "tests/golden/inputs/scenarios/herning-sverigesmodel.toml",
        false,
    );
}

/// Age bands, a case-list start state and destinations (model version 2).
fn replication_teenagers(c: &mut Criterion) {
    bench_replication(c, "teenagers", "teenagers.toml", false);
}

/// Placement capacity: waiting lists on foster care.
fn replication_foster_shortage(c: &mut Criterion) {
    bench_replication(c, "foster_shortage", "foster-shortage.toml", false);
}

/// A whole Monte Carlo run of Herning on 1 and on 2 threads.
fn parallel_herning(c: &mut Criterion) {
    let reps: Override = format!("scenario.replications={PARALLEL_REPS}")
        .parse()
        .expect("a valid override");
    let scenario = load("herning-sverigesmodel.toml", &[reps]);
    let events = monte_carlo::run(&scenario).events;
    eprintln!("herning, {PARALLEL_REPS} replications: {events} events");

    let mut group = c.benchmark_group(format!("monte_carlo/herning_{PARALLEL_REPS}_reps"));
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(4));
    group.throughput(Throughput::Elements(events));
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a rayon pool");
        group.bench_function(format!("threads/{threads}"), |b| {
            b.iter(|| pool.install(|| monte_carlo::run(black_box(&scenario))))
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    replication_herning,
    replication_herning_0_1,
    replication_teenagers,
    replication_foster_shortage,
    replication_large,
    parallel_herning
);
criterion_main!(benches);
