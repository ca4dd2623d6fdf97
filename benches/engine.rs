//! Engine throughput: one replication of an M/M/c scenario with about a million tickets, and
//! one replication of each bundled mid-market design (tiered, pooled-tiered, swarm). Run with `cargo bench --bench engine`;
//! criterion reports tickets per second (throughput elements = tickets simulated).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;
use supportsim::engine::{Catalog, simulate};
use supportsim::scenario::Scenario;

fn mmc_million() -> Scenario {
    // 100 tickets/hour for 417 days = about 1.0 million tickets, 12 agents, exponential 6 min.
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/mmc.toml"))
        .expect("bundled scenario")
        .replace("horizon_days = 7", "horizon_days = 416")
        .replace("timeseries_interval_min = 60", "");
    Scenario::from_toml_str(&text, Path::new("mmc-1m")).expect("valid")
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("engine");
    g.sample_size(10);
    let bundled = |file: &str| {
        Scenario::load(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("scenarios")
                .join(file),
        )
        .expect("valid")
    };
    for (name, s) in [
        ("mmc_1m_tickets", mmc_million()),
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
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
