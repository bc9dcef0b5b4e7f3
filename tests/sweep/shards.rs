//! Sharding: a deterministic partition of every (point, replication).

use std::collections::HashMap;

use trappe::sweep::Shard;
use trappe::sweep::shard::units;

#[test]
fn shards_cover_every_replication_of_every_point_exactly_once() {
    for points in 1..=13 {
        for count in 1..=9 {
            for replications in [1u64, 2, 7, 200] {
                let mut seen: HashMap<(usize, u64), usize> = HashMap::new();
                let mut work = Vec::new();
                for index in 1..=count {
                    let shard = Shard::new(index, count).unwrap();
                    let mine = units(points, replications, shard);
                    let mut own_points: Vec<usize> = mine.iter().map(|u| u.point).collect();
                    own_points.dedup();
                    assert_eq!(own_points.len(), mine.len(), "a shard holds a point once");
                    assert_eq!(mine, units(points, replications, shard), "deterministic");
                    let mut total = 0;
                    for u in mine {
                        assert!(u.point < points);
                        for r in u.replications {
                            assert!(r < replications);
                            *seen.entry((u.point, r)).or_default() += 1;
                            total += 1;
                        }
                    }
                    work.push(total);
                }
                let case = format!("{points} points, {count} shards, {replications} replications");
                assert_eq!(seen.len() as u64, points as u64 * replications, "{case}");
                assert!(
                    seen.values().all(|&n| n == 1),
                    "{case}: some work done twice"
                );
                // Balance: whole points when there are enough (shards differ
                // by at most one point); else every shard gets the same
                // number of replication blocks, whose sizes differ by at
                // most one replication.
                let (lo, hi) = (work.iter().min().unwrap(), work.iter().max().unwrap());
                let slack = if points >= count {
                    replications
                } else {
                    (points * (count / gcd(points, count)) / count) as u64
                };
                assert!(hi - lo <= slack, "{case}: work per shard {work:?}");
            }
        }
    }
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

#[test]
fn few_points_are_split_by_replications() {
    // 2 points over 4 shards: each shard runs half of one point.
    let got: Vec<_> = (1..=4)
        .map(|k| units(2, 100, Shard::new(k, 4).unwrap()))
        .collect();
    assert_eq!(got[0][0].point, 0);
    assert_eq!(got[0][0].replications, 0..50);
    assert_eq!(got[1][0].replications, 50..100);
    assert_eq!(got[2][0].point, 1);
    assert!(got.iter().all(|u| u.len() == 1));
}

#[test]
fn shard_syntax() {
    assert_eq!(
        "2/4".parse::<Shard>().unwrap(),
        Shard { index: 2, count: 4 }
    );
    for bad in ["0/4", "5/4", "1/0", "x", "1-4", "1/"] {
        assert!(bad.parse::<Shard>().is_err(), "{bad}");
    }
    assert_eq!(Shard::new(3, 12).unwrap().folder_name(), "shard-03-of-12");
}

fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
    move |name| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| (*v).to_string())
    }
}

#[test]
fn slurm_array_variables_choose_the_shard() {
    let (shard, why) = Shard::from_env(env(&[
        ("SLURM_ARRAY_TASK_ID", "2"),
        ("SLURM_ARRAY_TASK_COUNT", "4"),
        ("SLURM_ARRAY_TASK_MIN", "0"),
    ]))
    .unwrap()
    .unwrap();
    assert_eq!(shard, Shard { index: 3, count: 4 });
    assert!(why.contains("SLURM_ARRAY_TASK_ID=2"), "{why}");
    // Arrays may start anywhere and be strided: --array=1-7:2 is 1,3,5,7.
    let (shard, _) = Shard::from_env(env(&[
        ("SLURM_ARRAY_TASK_ID", "5"),
        ("SLURM_ARRAY_TASK_COUNT", "4"),
        ("SLURM_ARRAY_TASK_MIN", "1"),
        ("SLURM_ARRAY_TASK_STEP", "2"),
    ]))
    .unwrap()
    .unwrap();
    assert_eq!(shard, Shard { index: 3, count: 4 });
    let err = Shard::from_env(env(&[("SLURM_ARRAY_TASK_ID", "1")])).unwrap_err();
    assert!(err.contains("SLURM_ARRAY_TASK_COUNT"), "{err}");
    let err = Shard::from_env(env(&[
        ("SLURM_ARRAY_TASK_ID", "4"),
        ("SLURM_ARRAY_TASK_COUNT", "2"),
        ("SLURM_ARRAY_TASK_MIN", "1"),
        ("SLURM_ARRAY_TASK_STEP", "2"),
    ]))
    .unwrap_err();
    assert!(err.contains("--shard"), "{err}");
}

#[test]
fn kubernetes_indexed_jobs_need_a_count() {
    let (shard, _) = Shard::from_env(env(&[
        ("JOB_COMPLETION_INDEX", "0"),
        ("TRAPPE_SHARDS", "3"),
    ]))
    .unwrap()
    .unwrap();
    assert_eq!(shard, Shard { index: 1, count: 3 });
    let err = Shard::from_env(env(&[("JOB_COMPLETION_INDEX", "0")])).unwrap_err();
    assert!(err.contains("TRAPPE_SHARDS"), "{err}");
    let err = Shard::from_env(env(&[
        ("JOB_COMPLETION_INDEX", "3"),
        ("TRAPPE_SHARDS", "3"),
    ]))
    .unwrap_err();
    assert!(err.contains("JOB_COMPLETION_INDEX=3"), "{err}");
    assert_eq!(Shard::from_env(env(&[])).unwrap(), None);
}
