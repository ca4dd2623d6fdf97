//! Engine throughput: one replication of an M/M/c scenario with about a million tickets, and
//! one replication of each bundled mid-market design (tiered, pooled-tiered, swarm). Run with
//! `cargo bench --bench engine`; criterion reports tickets per second (throughput elements =
//! tickets simulated). Next to the engine's M/M/12 case, `mmc_reference_loop` runs a minimal
//! hand-written M/M/12 loop (`support::mmc_loop`) on the same parameters and the same number
//! of tickets: the engine's M/M/12 throughput as a share of the loop's is issue 11's target.
//!
//! Profiling (instruction counts are repeatable on the shared machines, timings are not):
//!
//! ```text
//! cargo bench --profile profiling --bench profile --no-run   # release + line tables
//! BIN=$(ls -t target/profiling/deps/profile-* | grep -v '\.d$' | head -1)
//! # or, rebuilding only this crate (a few minutes, not a cold build of every dependency):
//! # cargo bench --bench profile --no-run \
//! #   --config 'profile.bench.package.supportsim.debug="line-tables-only"'
//! # BIN=$(ls -t target/release/deps/profile-* | grep -v '\.d$' | head -1)
//! valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.engine $BIN engine 200000
//! valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.loop   $BIN loop   200000
//! callgrind_annotate --inclusive=yes /tmp/cg.engine | head -40   # inclusive
//! callgrind_annotate /tmp/cg.engine | head -40                   # self
//! perf stat -e instructions:u $BIN engine 200000                 # where perf works
//! perf stat -e instructions:u $BIN loop 200000
//! ```
//!
//! `profile engine N` simulates one replication of M/M/12 with about N tickets and prints the
//! exact ticket count; `profile loop N` runs the reference loop on N tickets. Divide the
//! instruction count, less a baseline (`profile idle N`: process start and scenario parsing,
//! for the engine; `profile` without a mode, for the loop), by the tickets printed.
//! `profile tiered N` (and `pooled`, `swarm`) runs N replications of a bundled design, less
//! `profile tiered-idle 1`. Measured counts, before and after each round of work, are in
//! docs/performance.md (2026-12-03: 1,602 instructions per M/M/12 ticket, the loop 184).

mod support;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use support::{bundled, check_mmc12_loop_against_erlang_c, mmc_scenario, mmc12_loop};
use supportsim::engine::simulate;
use supportsim::measure::Catalog;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("engine");
    g.sample_size(10);
    for (name, s) in [
        // 416 measured days: 418 days of arrivals at 2,400 a day, about a million tickets.
        ("mmc_1m_tickets", mmc_scenario(416)),
        (
            "saas_midmarket_tiered",
            bundled("saas-midmarket-tiered.toml"),
        ),
        (
            "saas_midmarket_pooled",
            bundled("saas-midmarket-pooled.toml"),
        ),
        ("saas_midmarket_swarm", bundled("saas-midmarket-swarm.toml")),
    ] {
        let cat = Catalog::new(&s);
        let tickets = simulate(&s, &cat, 0).recorder.tickets;
        g.throughput(Throughput::Elements(tickets));
        g.bench_function(name, |b| {
            b.iter(|| black_box(simulate(&s, &cat, black_box(0))))
        });
        if name == "mmc_1m_tickets" {
            reference_loop(&mut g, tickets);
        }
    }
    g.finish();
}

/// The hand-written M/M/12 loop on as many tickets as the engine's M/M/12 case, checked
/// against Erlang C once before it is timed.
fn reference_loop(g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>, n: u64) {
    let (r, exact) = check_mmc12_loop_against_erlang_c(n);
    eprintln!(
        "reference loop: {n} tickets, mean wait {:.4} min (Erlang C {exact:.4}), P(wait) {:.4}",
        r.mean_wait_min, r.p_wait
    );
    g.throughput(Throughput::Elements(n));
    g.bench_function("mmc_reference_loop", |b| {
        b.iter(|| black_box(mmc12_loop(black_box(n), black_box(1)).mean_wait_min))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
