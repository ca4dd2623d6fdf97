//! Tier 0: what the bot does with an arriving contact, drawn from the ticket's own streams
//! on the bot's stream base. The decision to resolve ranks the contact by its tier-1 work
//! time, drawn from the very stream the first human stage draws it from, so the draw is the
//! same with and without a bot (common random numbers) and the bot takes the easy ones first.

use super::rng::ticket_rng;
use super::ticket::Ticket;
use crate::model::{BOT_STREAM, sid, slot};
use crate::scenario::{Scenario, Tier0};
use rand::RngExt;

/// Where a contact goes after the bot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BotPath {
    /// Not involved: straight to the first human stage.
    Skipped,
    /// Resolved by the bot, for good.
    Contained,
    /// Resolved by the bot, but the customer comes back this many minutes after the bot
    /// conversation ended, as a repeat contact on the same ticket.
    Repeat(f64),
    /// The bot failed: on to the first human stage; `true` when its priority goes up.
    Leaked(bool),
}

/// One contact's time in the bot and where it goes next.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BotVisit {
    /// Minutes in the bot (0 when not involved).
    pub minutes: f64,
    /// What happens next.
    pub path: BotPath,
}

impl BotVisit {
    /// The contact met the bot.
    #[inline]
    pub fn involved(&self) -> bool {
        self.path != BotPath::Skipped
    }
}

/// The bot's handling of contact `t` (its channel has a bot).
pub fn visit(s: &Scenario, bot: &Tier0, t: &Ticket) -> BotVisit {
    let (ch, sg) = (t.channel as usize, t.segment as usize);
    let settings = bot.channels[ch].as_ref().expect("the channel has a bot");
    let chance = |sl: u32, p: f64| p > 0.0 && uniform(t.route_key, sl) < p;
    if !chance(slot::BOT_INVOLVE, bot.involvement[sg][ch]) {
        return BotVisit {
            minutes: 0.0,
            path: BotPath::Skipped,
        };
    }
    let minutes = settings
        .time
        .sample(&mut ticket_rng(t.work_key, sid(BOT_STREAM, slot::WORK)));
    let r = bot.resolution_at(sg, ch, t.arrival);
    let resolved = t.level <= bot.max_level
        && r > 0.0
        && if chance(slot::BOT_SELECT, bot.selectivity) {
            // By rank: the contact's place among all contacts of the channel by the work
            // time the first human stage would draw for it (ties ranked at random).
            let w = s.tiers[0].work[ch].sample(&mut ticket_rng(t.work_key, sid(0, slot::WORK)));
            let (lo, hi) = settings.rank.cdf_bounds(w);
            let u = if hi > lo {
                lo + (hi - lo) * uniform(t.route_key, slot::BOT_TIE)
            } else {
                lo
            };
            u < r
        } else {
            uniform(t.route_key, slot::BOT_RESOLVE) < r
        };
    let path = if resolved {
        let mut rng = ticket_rng(t.route_key, sid(BOT_STREAM, slot::BOT_REPEAT));
        let back = bot.repeat_p > 0.0 && rng.random::<f64>() < bot.repeat_p;
        if back {
            BotPath::Repeat(rng.random::<f64>() * bot.window_min)
        } else {
            BotPath::Contained
        }
    } else {
        BotPath::Leaked(chance(slot::BOT_BUMP, bot.bump_p))
    };
    BotVisit { minutes, path }
}

#[inline]
fn uniform(route_key: u64, sl: u32) -> f64 {
    ticket_rng(route_key, sid(BOT_STREAM, sl)).random::<f64>()
}
