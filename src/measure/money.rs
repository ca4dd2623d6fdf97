//! Money per invoice week: labour (pay or invoice with contract floors and flex), SLA
//! credits, vendor and penalties, from the recorder's weekly counters.

use super::recorder::Recorder;

impl Recorder {
    /// The money of one invoice week.
    pub fn week_money(&self, w: usize) -> WeekMoney {
        let Some(c) = &self.costs else {
            return WeekMoney::default();
        };
        let n = self.weeks;
        let wl = c.weeks[w];
        let mut out = WeekMoney {
            pools: Vec::with_capacity(c.pools.len()),
            credits: Vec::with_capacity(c.pools.len()),
            vendor: self.week_vendor[w] as f64 * c.vendor_per_ticket,
            penalties: 0.0,
            bot: c
                .bot_per_conversation
                .map_or(0.0, |price| self.week_bot[w] as f64 * price),
            care: self
                .incidents
                .as_ref()
                .map_or(0.0, |i| i.care_usd_per_week * wl),
        };
        for pc in &c.pools {
            let handled: u64 = pc.tiers.iter().map(|&k| self.week_handled[k * n + w]).sum();
            let tickets = (handled as f64).max(pc.minimum_tickets_per_week * wl);
            let gross = pc.hourly_usd[w] + pc.per_ticket_usd * tickets;
            let credit = pc.credit.as_ref().map_or(0.0, |cr| {
                let misses = cr
                    .targets
                    .iter()
                    .filter(|&&(k, res)| {
                        let (covered, met) = if res {
                            self.week_res[k as usize * n + w]
                        } else {
                            self.week_fr[k as usize * n + w]
                        };
                        let goal = self.goals[k as usize][usize::from(res)];
                        covered > 0 && (met as f64) < goal * covered as f64
                    })
                    .count();
                gross * (misses as f64 * cr.per_miss_share).min(cr.at_risk_share)
            });
            out.pools.push(gross);
            out.credits.push(credit);
        }
        if c.penalties {
            for (k, pen) in self.penalties.iter().enumerate() {
                let (fc, fm) = self.week_fr[k * n + w];
                let (rc, rm) = self.week_res[k * n + w];
                out.penalties += (fc - fm) as f64 * pen[0] + (rc - rm) as f64 * pen[1];
            }
        }
        out
    }

    /// The money of the whole window (every invoice week summed).
    pub fn money(&self) -> WeekMoney {
        let mut total = WeekMoney::default();
        for w in 0..self.weeks {
            total.add(&self.week_money(w));
        }
        total
    }

    pub(crate) fn total_cost(&self) -> f64 {
        self.money().total()
    }
}

/// Money of one invoice week or of the whole window [USD].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WeekMoney {
    /// Per file pool: pay (internal) or invoice before credits (outsourced).
    pub pools: Vec<f64>,
    /// Per file pool: SLA credits the provider gives back.
    pub credits: Vec<f64>,
    /// Vendor (L4) price of the tickets handed over.
    pub vendor: f64,
    /// Penalties paid to customers for SLA breaches.
    pub penalties: f64,
    /// Tier-0 bot conversations.
    pub bot: f64,
    /// Proactive incident care: monitoring, notifications, outreach (`[incidents]`).
    pub care: f64,
}

impl WeekMoney {
    /// Adds another week.
    pub fn add(&mut self, o: &WeekMoney) {
        self.pools.resize(o.pools.len().max(self.pools.len()), 0.0);
        self.credits
            .resize(o.credits.len().max(self.credits.len()), 0.0);
        for (a, b) in self.pools.iter_mut().zip(&o.pools) {
            *a += b;
        }
        for (a, b) in self.credits.iter_mut().zip(&o.credits) {
            *a += b;
        }
        self.vendor += o.vendor;
        self.penalties += o.penalties;
        self.bot += o.bot;
        self.care += o.care;
    }

    /// Pools + vendor - credits + penalties + bot.
    pub fn total(&self) -> f64 {
        let t = self.pools.iter().sum::<f64>() - self.credits.iter().sum::<f64>()
            + self.vendor
            + self.penalties;
        // Added only when there is a bot price, so unpriced files keep their exact sums.
        let t = if self.bot != 0.0 { t + self.bot } else { t };
        if self.care != 0.0 { t + self.care } else { t }
    }
}

/// One line of the weekly cost table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CostItem {
    /// A file pool's pay or invoice before credits.
    Pool(usize),
    /// SLA credits of all pools (a negative cost, reported as a positive amount).
    Credits,
    /// Vendor price.
    Vendor,
    /// SLA penalties.
    Penalties,
    /// Tier-0 bot conversations.
    Bot,
    /// Proactive incident care.
    Care,
    /// Everything.
    Total,
}
