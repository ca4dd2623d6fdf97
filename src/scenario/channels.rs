//! The scenario's channels: `[demand] channel_kinds`, in the order written (a ticket's
//! channel is an index into it), `email`, `chat` and `phone` by default.
//!
//! A channel's *kind* carries its behaviour, so the engine asks "is this a live channel?"
//! rather than "is this the phone?":
//! - `asynchronous` (email, web form, portal): customers never abandon a wait; chasers
//!   (`[customers.chasers]`) apply; messages left by live customers who abandon or find a
//!   line closed or full become tickets of the file's first asynchronous channel;
//! - `chat`: live, with patience; an agent may hold several chats at once
//!   (`chat_concurrency`);
//! - `voice` (phone, video): live, with patience; callbacks (`[customers.callbacks]`) apply.
//!
//! Every place a file names a channel (mixes, work times, patience, access, the bot, skills,
//! incidents, open tickets, trace rows) resolves it here, so an unknown name gets the same
//! message everywhere.

use super::limits::name_problem;
use serde::{Deserialize, Serialize};

/// What a channel does: the behaviours the engine attaches to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    /// Email, web form, portal: no patience; chasers; the destination of left messages.
    Asynchronous,
    /// Live chat: patience; several chats per agent.
    Chat,
    /// Phone or video: patience; callbacks.
    Voice,
}

/// Hand-written so that a wrong type (`email = 3`) names the three kinds, as an unknown
/// string does, rather than serde's "wanted string or table" for an externally tagged enum.
impl<'de> Deserialize<'de> for ChannelKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Kind;
        impl serde::de::Visitor<'_> for Kind {
            type Value = ChannelKind;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a channel kind: \"asynchronous\", \"chat\" or \"voice\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ChannelKind, E> {
                ChannelKind::ALL
                    .into_iter()
                    .find(|k| k.name() == v)
                    .ok_or_else(|| E::unknown_variant(v, &["asynchronous", "chat", "voice"]))
            }
        }
        d.deserialize_str(Kind)
    }
}

impl ChannelKind {
    /// Every kind, in the order of their names in messages.
    pub const ALL: [ChannelKind; 3] = [
        ChannelKind::Asynchronous,
        ChannelKind::Chat,
        ChannelKind::Voice,
    ];

    /// The name used in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            ChannelKind::Asynchronous => "asynchronous",
            ChannelKind::Chat => "chat",
            ChannelKind::Voice => "voice",
        }
    }
}

/// The channels of a file without `channel_kinds`, in index order.
pub const DEFAULT_CHANNELS: [(&str, ChannelKind); 3] = [
    ("email", ChannelKind::Asynchronous),
    ("chat", ChannelKind::Chat),
    ("phone", ChannelKind::Voice),
];

/// Most channels a scenario may declare (per-channel counters and kind masks are sized by
/// the file's count; this bounds them).
pub const MAX_CHANNELS: usize = 8;

/// The scenario's channels: names and kinds by index, with bit masks of the kinds so that
/// the engine's per-ticket tests are one shift and mask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channels {
    names: Vec<String>,
    kinds: Vec<ChannelKind>,
    chat_mask: u32,
    voice_mask: u32,
}

impl Default for Channels {
    fn default() -> Self {
        Channels::new(
            DEFAULT_CHANNELS
                .iter()
                .map(|&(n, k)| (n.to_string(), k))
                .collect(),
        )
    }
}

/// Whether channel `c` is in `mask` (bit `c` set), for the masks of
/// [`Channels::chat_mask`] and [`Channels::live_mask`], which the engine copies out of the
/// scenario because it tests them for every ticket.
#[inline(always)]
pub fn in_mask(mask: u32, c: usize) -> bool {
    mask >> c & 1 != 0
}

impl Channels {
    /// Channels from `(name, kind)` pairs in index order (at most [`MAX_CHANNELS`]; checked
    /// by [`list_problems`] before).
    pub fn new(pairs: Vec<(String, ChannelKind)>) -> Self {
        let mask = |want: ChannelKind| {
            pairs
                .iter()
                .enumerate()
                .filter(|(_, (_, k))| *k == want)
                .fold(0u32, |m, (i, _)| m | 1 << i)
        };
        let (chat_mask, voice_mask) = (mask(ChannelKind::Chat), mask(ChannelKind::Voice));
        let (names, kinds) = pairs.into_iter().unzip();
        Channels {
            names,
            kinds,
            chat_mask,
            voice_mask,
        }
    }

    /// Number of channels.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether there are none (never true after validation).
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Names in index order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Name of channel `c`.
    pub fn name(&self, c: usize) -> &str {
        &self.names[c]
    }

    /// Kind of channel `c`.
    pub fn kind(&self, c: usize) -> ChannelKind {
        self.kinds[c]
    }

    /// Whether channel `c` is live (chat or voice): customers wait on the line, with patience.
    #[inline]
    pub fn is_live(&self, c: usize) -> bool {
        in_mask(self.live_mask(), c)
    }

    /// Whether channel `c` is a chat channel (packed `chat_concurrency` to an agent).
    #[inline]
    pub fn is_chat(&self, c: usize) -> bool {
        in_mask(self.chat_mask, c)
    }

    /// Whether channel `c` is a voice channel (callbacks apply).
    #[inline]
    pub fn is_voice(&self, c: usize) -> bool {
        in_mask(self.voice_mask, c)
    }

    /// Whether channel `c` is asynchronous (no patience; chasers apply).
    #[inline]
    pub fn is_asynchronous(&self, c: usize) -> bool {
        !self.is_live(c)
    }

    /// Bit `c` set: channel `c` is a chat channel.
    pub fn chat_mask(&self) -> u32 {
        self.chat_mask
    }

    /// Bit `c` set: channel `c` is live (chat or voice).
    pub fn live_mask(&self) -> u32 {
        self.chat_mask | self.voice_mask
    }

    /// Live channels, in index order.
    pub fn live(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.len()).filter(|&c| self.is_live(c))
    }

    /// Whether any channel is of `kind`.
    pub fn has(&self, kind: ChannelKind) -> bool {
        self.kinds.contains(&kind)
    }

    /// The channel that messages left by live customers become: the first asynchronous one.
    /// Validation refuses a file that leaves messages without one, so the engine's `0`
    /// fallback is never used.
    #[inline]
    pub fn message(&self) -> usize {
        self.kinds
            .iter()
            .position(|&k| k == ChannelKind::Asynchronous)
            .unwrap_or(0)
    }

    /// The channel a retrial that switches channels moves to: from a chat channel the first
    /// voice channel, from a voice channel the first chat channel; `c` itself when the file
    /// has no live channel of the other kind.
    pub fn other_live(&self, c: usize) -> usize {
        let want = if self.is_chat(c) {
            self.voice_mask
        } else {
            self.chat_mask
        };
        if want == 0 {
            c
        } else {
            want.trailing_zeros() as usize
        }
    }

    /// Index of the channel called `name` (exact match, as keys of the file are).
    ///
    /// # Errors
    /// The message for an unknown name: the file's channels and how to add one.
    pub fn resolve(&self, name: &str) -> Result<usize, String> {
        self.names
            .iter()
            .position(|n| n == name)
            .ok_or_else(|| self.unknown(name))
    }

    /// Index of the channel in a CSV cell (trace rows, open tickets): as [`Self::resolve`],
    /// but ignoring ASCII case like the other categorical cells of those files.
    ///
    /// # Errors
    /// The message for an unknown name.
    pub fn pick(&self, v: &str) -> Result<u8, String> {
        self.names
            .iter()
            .position(|n| n.eq_ignore_ascii_case(v))
            .map(|i| i as u8)
            .ok_or_else(|| self.unknown(v))
    }

    /// The message for a channel `name` the file does not declare.
    pub fn unknown(&self, name: &str) -> String {
        format!(
            "unknown channel {name:?}; the file's channels are {} (declare more in demand.channel_kinds, e.g. {{ email = \"asynchronous\", sms = \"asynchronous\", chat = \"chat\", phone = \"voice\" }})",
            self.names.join(", ")
        )
    }
}

/// Problems of a `channel_kinds` table: `(key path, message)` each.
pub fn list_problems(pairs: &[(String, ChannelKind)]) -> Vec<(String, String)> {
    const KEY: &str = "demand.channel_kinds";
    let mut out = Vec::new();
    if pairs.is_empty() {
        out.push((
            KEY.to_string(),
            "is empty; name each channel with its kind, e.g. { email = \"asynchronous\", chat = \"chat\", phone = \"voice\" } (omit the key for these three)".to_string(),
        ));
    }
    if pairs.len() > MAX_CHANNELS {
        out.push((
            KEY.to_string(),
            format!(
                "has {} channels; at most {MAX_CHANNELS} are supported",
                pairs.len()
            ),
        ));
    }
    for (i, (n, _)) in pairs.iter().enumerate() {
        if let Some(m) = name_problem(n) {
            out.push((format!("{KEY}.{n}"), m));
        }
        if n == "default" {
            out.push((
                format!("{KEY}.{n}"),
                "\"default\" is reserved (work_time.default covers every channel without its own entry); give the channel another name".to_string(),
            ));
        }
        // Ignoring case: trace and open-ticket files match channels that way.
        if let Some(j) = pairs[..i]
            .iter()
            .position(|(o, _)| o.eq_ignore_ascii_case(n))
        {
            out.push((
                format!("{KEY}.{n}"),
                format!(
                    "duplicate channel {n:?} (also {:?}; names are compared ignoring case); give every channel its own name",
                    pairs[j].0
                ),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ChannelKind::*;

    fn of(x: &[(&str, ChannelKind)]) -> Channels {
        Channels::new(x.iter().map(|&(n, k)| (n.to_string(), k)).collect())
    }

    #[test]
    fn the_default_is_email_chat_phone_with_their_kinds() {
        let c = Channels::default();
        assert_eq!(c.names(), ["email", "chat", "phone"]);
        assert!(c.is_asynchronous(0) && !c.is_live(0));
        assert!(c.is_chat(1) && c.is_live(1) && !c.is_voice(1));
        assert!(c.is_voice(2) && c.is_live(2) && !c.is_chat(2));
        assert_eq!(c.message(), 0);
        assert_eq!((c.other_live(1), c.other_live(2)), (2, 1));
        assert_eq!(c.live().collect::<Vec<_>>(), [1, 2]);
        assert_eq!(c.resolve("phone"), Ok(2));
        assert_eq!(c.pick("CHAT"), Ok(1));
        assert!(c.resolve("sms").unwrap_err().contains("email, chat, phone"));
    }

    #[test]
    fn kinds_not_positions_carry_the_behaviour() {
        let c = of(&[
            ("phone", Voice),
            ("video", Voice),
            ("web", Asynchronous),
            ("sms", Asynchronous),
            ("chat", Chat),
        ]);
        assert_eq!(c.message(), 2);
        assert_eq!(c.live().collect::<Vec<_>>(), [0, 1, 4]);
        assert_eq!((c.other_live(1), c.other_live(4)), (4, 0));
        assert!(c.is_asynchronous(3) && c.has(Chat));
        let voice_only = of(&[("phone", Voice), ("email", Asynchronous)]);
        assert_eq!(voice_only.other_live(0), 0);
        assert!(!voice_only.has(Chat));
    }

    #[test]
    fn bad_tables_are_refused_with_their_key_path() {
        let p = |x: &[(&str, ChannelKind)]| {
            list_problems(
                &x.iter()
                    .map(|&(n, k)| (n.to_string(), k))
                    .collect::<Vec<_>>(),
            )
        };
        assert!(p(&[("web", Asynchronous)]).is_empty());
        assert!(p(&[])[0].1.contains("is empty"));
        let dup = p(&[("Chat", Chat), ("chat", Chat)]);
        assert_eq!(dup[0].0, "demand.channel_kinds.chat");
        assert!(dup[0].1.contains("ignoring case"));
        assert!(p(&[("default", Voice)])[0].1.contains("reserved"));
        let nine: Vec<(String, ChannelKind)> = (0..9).map(|i| (format!("c{i}"), Voice)).collect();
        assert!(list_problems(&nine)[0].1.contains("at most 8"));
        assert_eq!(p(&[("a b", Chat)])[0].0, "demand.channel_kinds.a b");
    }
}
