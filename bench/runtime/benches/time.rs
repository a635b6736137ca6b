//! Time per operation, connkit against oauth2-rs (and a `HashMap` for the registry lookup), by
//! criterion: the same operations on the same inputs as the callgrind counts of `src/main.rs`.
//! `bench/runtime.sh` runs it and reads each median from criterion's `estimates.json`.

use criterion::{Criterion, criterion_group, criterion_main};

use connkit_bench_runtime::operation;

/// Each pair, the connkit side first: the group's name is the table row, the function's name
/// says whose operation it is.
const PAIRS: [(&str, &str, &str); 5] = [
    ("authorize", "connkit-authorize", "oauth2-authorize"),
    ("token", "connkit-token", "oauth2-token"),
    ("lookup-10", "connkit-lookup-10", "hashmap-lookup-10"),
    ("lookup-250", "connkit-lookup-250", "hashmap-lookup-250"),
    ("lookup-1000", "connkit-lookup-1000", "hashmap-lookup-1000"),
];

fn compare(c: &mut Criterion) {
    for (group, ours, theirs) in PAIRS {
        let mut group = c.benchmark_group(group);
        for name in [ours, theirs] {
            let mut run = operation(name).unwrap_or_else(|| panic!("no operation {name}"));
            group.bench_function(name, |b| b.iter(&mut run));
        }
        group.finish();
    }
}

criterion_group!(benches, compare);
criterion_main!(benches);
