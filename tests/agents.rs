//! Agent-level rules on one agent, checked ticket by ticket: chat concurrency (who may take a
//! chat, who may take an email) and the occupancy cap (rest after work). Work times are
//! constants, so each resolved ticket's time with the agent is known exactly from its record.

use crate::common::*;
use supportsim::engine::simulate_with_sink;
use supportsim::measure::{Catalog, TicketOutcome, TicketRecord, TicketSink};

#[derive(Default)]
struct Records(Vec<TicketRecord>);

impl TicketSink for Records {
    fn record(&mut self, r: &TicketRecord) {
        self.0.push(*r);
    }
}

/// One ticket's time with the agent [minutes].
#[derive(Debug, Clone, Copy)]
struct Stint {
    arrival: f64,
    start: f64,
    end: f64,
    chat: bool,
}

/// Tolerance for comparing event times reconstructed from records [minutes].
const EPS: f64 = 1e-6;

/// Resolved tickets of every replication, sorted by start; and the end of the measured
/// window (tickets arriving later are not recorded, so checks stop there).
fn stints(text: &str, chat_work: f64, email_work: f64) -> (Vec<Vec<Stint>>, f64) {
    let s = scenario(text);
    let catalog = Catalog::new(&s);
    let mut out = Vec::new();
    for rep in 0..s.run.replications {
        let mut r = Records::default();
        simulate_with_sink(&s, &catalog, rep, &mut r);
        let mut v: Vec<Stint> =
            r.0.iter()
                .filter(|t| t.outcome == TicketOutcome::Resolved)
                .map(|t| {
                    let chat = t.channel == 1;
                    let end = t.arrival_min + t.resolution_min;
                    let start = end - if chat { chat_work } else { email_work };
                    // The record's first response is an f32: equal to the start up to its precision.
                    assert!(
                        (start - t.arrival_min - t.first_response_min).abs() < 1e-3,
                        "start {start} does not match {t:?}"
                    );
                    Stint {
                        arrival: t.arrival_min,
                        start,
                        end,
                        chat,
                    }
                })
                .collect();
        v.sort_by(|a, b| a.start.total_cmp(&b.start));
        out.push(v);
    }
    (out, s.run.window_end_min())
}

/// (emails, chats) with the agent just after time `t`.
fn held_after(v: &[Stint], t: f64) -> (usize, usize) {
    let mut n = (0, 0);
    for x in v {
        if x.start <= t + EPS && x.end > t + EPS {
            if x.chat {
                n.1 += 1;
            } else {
                n.0 += 1;
            }
        }
    }
    n
}

/// (emails, chats) with the agent just before time `t`.
fn held_before(v: &[Stint], t: f64) -> (usize, usize) {
    let mut n = (0, 0);
    for x in v {
        if x.start < t - EPS && x.end >= t - EPS {
            if x.chat {
                n.1 += 1;
            } else {
                n.0 += 1;
            }
        }
    }
    n
}

/// Could a ticket of this kind start on the one agent holding `(emails, chats)`, with at most
/// `k` chats at once?
fn fits(chat: bool, (emails, chats): (usize, usize), k: usize) -> bool {
    if chat {
        emails == 0 && chats < k
    } else {
        emails == 0 && chats == 0
    }
}

/// One agent, chat concurrency 2, chats (10 min) and emails (8 min).
const MIXED: &str = r#"
name = "mixed"
[run]
warmup_days = 0
horizon_days = 20
drain_days = 2
replications = 4
seed = 7
[demand]
tickets_per_hour = 4
channels = { email = 0.5, chat = 0.5 }
priorities = { P3 = 1.0 }
segments = { all = 1.0 }
required_level = { 1 = 1.0 }
[[pools]]
name = "solo"
headcount = 1
chat_concurrency = 2
[[tiers]]
level = 1
pool = "solo"
work_time.email = 8
work_time.default = 10
"#;

/// With one agent holding a chat, an email waits until the chat ends; chats share the agent
/// two at a time (and may pass a waiting email); nothing waits while it fits on the agent.
#[test]
fn an_email_never_starts_on_an_agent_holding_chats() {
    let (reps, w1) = stints(MIXED, 10.0, 8.0);
    let (mut email_behind_chat, mut chat_joined, mut chat_passed_email) = (0, 0, 0);
    for v in &reps {
        assert!(v.len() > 1500, "a 20-day trace, got {}", v.len());
        for (i, x) in v.iter().enumerate() {
            // At most one email, alone, or up to two chats.
            let others: Vec<&Stint> = v
                .iter()
                .enumerate()
                .filter(|(j, y)| *j != i && y.start < x.end - EPS && y.end > x.start + EPS)
                .map(|(_, y)| y)
                .collect();
            if !x.chat {
                assert!(
                    others.is_empty(),
                    "email {x:?} shares the agent with {others:?}"
                );
            } else {
                let (e, c) = held_after(v, x.start);
                assert!(
                    e == 0 && c <= 2,
                    "chat {x:?} starts with {e} emails, {c} chats"
                );
                chat_joined += usize::from(c == 2);
            }
            if x.arrival >= w1 {
                continue;
            }
            // It waited exactly when it did not fit on arrival.
            let state = held_before(v, x.arrival);
            let waited = x.start > x.arrival + EPS;
            assert_eq!(
                waited,
                !fits(x.chat, state, 2),
                "{x:?} arrived to {state:?} (emails, chats)"
            );
            email_behind_chat += usize::from(!x.chat && state == (0, 1));
            if x.chat
                && v.iter()
                    .any(|y| !y.chat && y.arrival < x.start && y.start > x.start)
            {
                chat_passed_email += 1;
            }
            // A waiting ticket starts when something ends.
            if waited {
                assert!(
                    v.iter().any(|y| (y.end - x.start).abs() < EPS),
                    "{x:?} started when nothing ended"
                );
            }
        }
        // Whenever something ends, no ticket that fits is left waiting.
        for y in v.iter().filter(|y| y.end < w1) {
            let state = held_after(v, y.end);
            for x in v
                .iter()
                .filter(|x| x.arrival < y.end && x.start > y.end + EPS)
            {
                assert!(
                    !fits(x.chat, state, 2),
                    "{x:?} waits at {} while the agent holds {state:?}",
                    y.end
                );
            }
        }
    }
    eprintln!(
        "emails that arrived to one chat (and waited): {email_behind_chat}; chats started as a \
         second chat: {chat_joined}; chats that passed a waiting email: {chat_passed_email}"
    );
    assert!(email_behind_chat > 50 && chat_joined > 50 && chat_passed_email > 10);
}

/// Consecutive busy spans of the one agent: merged overlapping stints `(start, end)`. A stint
/// starting exactly when the span ends continues it: two chats that started together end
/// together, and the first end lets a waiting chat in before the second empties the agent.
fn spans(v: &[Stint]) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    for x in v {
        match out.last_mut() {
            Some(s) if x.start < s.1 + EPS => s.1 = s.1.max(x.end),
            _ => out.push((x.start, x.end)),
        }
    }
    out
}

/// After each busy span of length d the agent rests d (1 - c) / c: the next span starts then
/// if a ticket was waiting, else when the next ticket arrives; never earlier.
fn check_rests(v: &[Stint], w1: f64, cap: f64) -> (usize, usize) {
    let (mut delayed, mut long) = (0, 0);
    let sp = spans(v);
    for w in sp.windows(2) {
        let ((s, t), (next, _)) = (w[0], w[1]);
        if next >= w1 {
            break;
        }
        let back = t + (t - s) * (1.0 - cap) / cap;
        let first = v
            .iter()
            .find(|x| (x.start - next).abs() < EPS)
            .expect("a span starts with a stint");
        let expect = first.arrival.max(back);
        assert!(
            (next - expect).abs() < 1e-6,
            "span [{s}, {t}] rests until {back}; next start {next}, expected {expect} ({first:?})"
        );
        delayed += usize::from(first.arrival < back);
        long += usize::from(t - s > 10.0 + EPS);
    }
    (delayed, long)
}

/// One agent, emails of 10 minutes, cap 0.5: 10 minutes of rest after each email.
#[test]
fn a_capped_agent_rests_after_each_ticket() {
    let text = MIXED
        .replace("chat = 0.5", "chat = 0.0")
        .replace("email = 0.5", "email = 1.0")
        .replace("tickets_per_hour = 4", "tickets_per_hour = 2.5")
        .replace("chat_concurrency = 2", "max_occupancy = 0.5")
        .replace("work_time.email = 8", "work_time.email = 10");
    let (reps, w1) = stints(&text, 10.0, 10.0);
    let mut delayed = 0;
    for v in &reps {
        delayed += check_rests(v, w1, 0.5).0;
    }
    eprintln!("tickets held back by a rest: {delayed}");
    assert!(delayed > 100);
}

/// One agent, chats of 10 minutes two at a time, cap 0.5: no rest between chats while the
/// agent holds one; when it holds none after a span of d minutes, it rests d minutes.
#[test]
fn a_capped_chat_agent_rests_when_it_holds_no_chat() {
    let text = MIXED
        .replace("chat = 0.5", "chat = 1.0")
        .replace("email = 0.5", "email = 0.0")
        .replace("tickets_per_hour = 4", "tickets_per_hour = 3")
        .replace(
            "chat_concurrency = 2",
            "chat_concurrency = 2\nmax_occupancy = 0.5",
        );
    let (reps, w1) = stints(&text, 10.0, 10.0);
    let (mut delayed, mut long) = (0, 0);
    for v in &reps {
        let (d, l) = check_rests(v, w1, 0.5);
        delayed += d;
        long += l;
        // Within a span, a waiting chat starts as soon as a chat ends (no rest in between).
        for (s, t) in spans(v) {
            for y in v
                .iter()
                .filter(|y| y.end > s && y.end < t - EPS && y.end < w1)
            {
                let state = held_after(v, y.end);
                for x in v
                    .iter()
                    .filter(|x| x.arrival < y.end && x.start > y.end + EPS)
                {
                    assert!(
                        !fits(true, state, 2),
                        "{x:?} waits at {} while the agent holds {state:?}",
                        y.end
                    );
                }
            }
        }
    }
    eprintln!("spans with overlapping chats: {long}; chats held back by a rest: {delayed}");
    assert!(delayed > 50 && long > 50);
}
