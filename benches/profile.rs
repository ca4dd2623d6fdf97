//! One-shot runs to profile under callgrind or perf (recipe at the top of `benches/engine.rs`):
//! `profile engine N` simulates one replication of the M/M/12 bench scenario with about N
//! tickets, `profile loop N` runs the hand-written reference loop on N tickets, and
//! `profile tiered N` (or `pooled`, `swarm`) runs N replications of that bundled mid-market
//! design (`tiered-idle` etc.: its baseline, loading the file and building the catalog), and
//! `profile idle N` only builds the scenario (the baseline to subtract). Without a mode, as
//! under a plain `cargo bench`, it does nothing.

// Shared with the criterion bench, which uses the rest of it.
#[allow(dead_code)]
mod support;

use std::hint::black_box;
use supportsim::engine::simulate;
use supportsim::measure::Catalog;

/// Simulated days with arrivals besides the measured ones: 1 day warm-up, 1 day drain.
const EXTRA_DAYS: u64 = 2;
/// Tickets per simulated day at 100 tickets/hour.
const TICKETS_PER_DAY: u64 = 2400;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = args.first().map(String::as_str);
    let n: u64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(200_000);
    let horizon_days = (n / TICKETS_PER_DAY).saturating_sub(EXTRA_DAYS).max(1) as u32;
    match mode {
        Some("engine") => {
            let s = support::mmc_scenario(horizon_days);
            let cat = Catalog::new(&s);
            let r = black_box(simulate(&s, &cat, black_box(0)));
            println!(
                "engine: {} tickets, {} events",
                r.recorder.tickets, r.recorder.events
            );
        }
        Some(design @ ("tiered" | "pooled" | "swarm")) => {
            // N replications of a bundled mid-market design (about 10,000 tickets each).
            let s = support::bundled(&format!("saas-midmarket-{design}.toml"));
            let cat = Catalog::new(&s);
            let mut tickets = 0;
            for i in 0..n.min(1000) as u32 {
                tickets += black_box(simulate(&s, &cat, black_box(i))).recorder.tickets;
            }
            println!("{design}: {tickets} tickets");
        }
        Some(design @ ("tiered-idle" | "pooled-idle" | "swarm-idle")) => {
            // The baseline of the mode above: loading the scenario and building its catalog.
            let name = design.trim_end_matches("-idle");
            let s = support::bundled(&format!("saas-midmarket-{name}.toml"));
            println!(
                "{design}: {} catalog entries",
                black_box(Catalog::new(&s)).defs.len()
            );
        }
        Some("idle") => {
            let s = support::mmc_scenario(horizon_days);
            let cat = Catalog::new(&s);
            println!("idle: {} catalog entries", black_box(cat).defs.len());
        }
        Some("loop") => {
            let r = black_box(support::mmc12_loop(black_box(n), 1));
            println!(
                "loop: {n} tickets, mean wait {:.4} min, P(wait) {:.4}",
                r.mean_wait_min, r.p_wait
            );
        }
        _ => {}
    }
}
