//! `[demand] trace`: arrivals read from a CSV file instead of drawn from the Poisson process
//! (`docs/history.md`), and the CSV helpers `[initial_state] file` shares.
//!
//! Every row is one arrival. Columns are found by header name (any order, extra columns are
//! ignored, so a run's own ticket export converted to CSV is a trace):
//!
//! | column | required | meaning |
//! |---|---|---|
//! | `arrival_min` (or `time_min`) | yes | arrival [minutes since the run's start] |
//! | `channel` / `arrival_channel` | yes | a channel of the file: `email`, `chat`, `phone` by default (`arrival_channel` wins) |
//! | `priority` / `arrival_priority` | yes | `P1`..`P4` (`arrival_priority` wins) |
//! | `segment` | yes | a segment name of `[demand] segments` |
//! | `required_level` | no | 0..4 (0: deflected); drawn from the segment's mix when absent |
//! | `category` | no | a `[categories]` name; drawn when absent or empty |
//! | `work_min` | no | work time of the ticket's first service step [minutes] |
//! | `replication` | no | must hold one value (keep one replication of an export) |
//! | `ticket` | no | arrival sequence number: breaks ties of equal times |
//! | `origin` | no | rows with `backlog` (an export's initial state) are skipped |

use super::Scenario;
use super::error::Problems;
use super::limits::{MAX_TRACE_BYTES, MAX_TRACE_ROWS};
use std::path::{Path, PathBuf};

/// One arrival of a trace.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TraceRow {
    /// Arrival [minutes since the start].
    pub time_min: f64,
    /// Channel index.
    pub channel: u8,
    /// Priority index (0 = the most urgent of `demand.priority_names`).
    pub priority: u8,
    /// Segment index.
    pub segment: u8,
    /// Required level; `None`: drawn from the segment's (category's) level mix.
    pub level: Option<u8>,
    /// Category; `None`: drawn from the segment's category mix (0 without categories).
    pub category: Option<u8>,
    /// Work of the first service step [minutes]; `None`: drawn.
    pub work_min: Option<f64>,
}

/// A validated trace: rows in arrival order, all inside the simulated span.
#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    /// The file read.
    pub file: PathBuf,
    /// Arrivals by time (ties in `ticket`, then file order).
    pub rows: Vec<TraceRow>,
    /// Rows after the end of the simulated span (ignored).
    pub after_end: usize,
}

/// Most problems listed for one file before the rest are summarised.
const MAX_LISTED: usize = 20;

/// A CSV file opened for validation: its header and the problems found so far.
pub(crate) struct CsvFile {
    /// The path as shown in messages.
    pub shown: String,
    /// The key path naming the file in the scenario.
    pub key: String,
    /// The reader.
    reader: csv::Reader<std::io::Take<std::io::BufReader<std::fs::File>>>,
    /// The field separator read from the header line.
    delimiter: u8,
    /// Lower-case, trimmed header names.
    pub header: Vec<String>,
    /// Problems found in rows.
    pub errors: usize,
    /// The file line the record last read starts on (after a quoted line break it is more
    /// than its row + 1).
    line: u64,
}

impl CsvFile {
    /// Opens `rel` relative to the scenario file `origin`; records a problem under `key` and
    /// returns `None` when it cannot be read or is too large.
    pub fn open(origin: &Path, rel: &str, key: &str, p: &mut Problems) -> Option<CsvFile> {
        let path = resolve(origin, rel);
        let shown = path.display().to_string();
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                p.push(
                    key,
                    format!(
                        "cannot read {shown}: {e}; give a CSV path relative to the scenario file"
                    ),
                );
                return None;
            }
        };
        if !meta.is_file() {
            p.push(
                key,
                format!("{shown} is not a regular file; give a CSV file"),
            );
            return None;
        }
        if meta.len() > MAX_TRACE_BYTES {
            p.push(
                key,
                format!(
                    "{shown} has {} bytes, more than the limit of {MAX_TRACE_BYTES}; split the period into several runs",
                    meta.len()
                ),
            );
            return None;
        }
        let file = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) => {
                p.push(key, format!("cannot open {shown}: {e}"));
                return None;
            }
        };
        use std::io::{BufRead, Read};
        // The separator is read from the header line, as `calibrate` reads exports: a trace
        // saved by a spreadsheet in most European locales is `;`-separated.
        let mut buffered = std::io::BufReader::with_capacity(1 << 16, file);
        let delimiter = match buffered.fill_buf() {
            Ok(prefix) => crate::csv_dialect::sniff_delimiter(prefix),
            Err(e) => {
                p.push(key, format!("cannot read {shown}: {e}"));
                return None;
            }
        };
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .flexible(false)
            .delimiter(delimiter)
            .from_reader(buffered.take(MAX_TRACE_BYTES));
        let header: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(|x| x.trim().to_ascii_lowercase()).collect(),
            Err(e) => {
                p.push(key, format!("{shown}: cannot read the header line: {e}"));
                return None;
            }
        };
        if let Some(dup) = header
            .iter()
            .enumerate()
            .find(|(i, h)| !h.is_empty() && header[..*i].contains(h))
            .map(|(_, h)| h)
        {
            p.push(
                key,
                format!(
                    "{shown}: column {dup:?} appears twice in the header; keep one (which one is meant is not knowable)"
                ),
            );
            return None;
        }
        Some(CsvFile {
            shown,
            key: key.to_string(),
            reader,
            delimiter,
            header,
            errors: 0,
            line: 1,
        })
    }

    /// Index of the first of `names` in the header.
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        names
            .iter()
            .find_map(|n| self.header.iter().position(|h| h == n))
    }

    /// `v` as a number, with a decimal comma when the file is not comma-separated.
    pub fn number(&self, v: &str) -> Result<f64, std::num::ParseFloatError> {
        crate::csv_dialect::decimal_point(v, self.delimiter != b',').parse()
    }

    /// The header as read, for messages: its columns and the separator they were split at
    /// when it is not `,` (a header with more `;` than `,` is read as `;`-separated).
    pub fn header_text(&self) -> String {
        let columns = if self.header.iter().all(String::is_empty) {
            "no column names".to_string()
        } else {
            self.header.join(", ")
        };
        match crate::csv_dialect::separator_name(self.delimiter) {
            Some(name) => format!("{columns} (split at {name}, read from the header line)"),
            None => columns,
        }
    }

    /// Reads the next record into `record`, noting the line it starts on for [`Self::bad`].
    pub fn read(&mut self, record: &mut csv::StringRecord) -> csv::Result<bool> {
        let read = self.reader.read_record(record);
        let position = match &read {
            Ok(_) => record.position(),
            Err(e) => e.position(),
        };
        if let Some(at) = position {
            self.line = at.line();
        }
        read
    }

    /// Records a problem in data row `row` (1-based, the header is not counted), column
    /// `col`, of the record last read.
    pub fn bad(&mut self, p: &mut Problems, row: usize, col: &str, what: String) {
        self.errors += 1;
        if self.errors <= MAX_LISTED {
            let at = crate::format::CsvRow {
                row: row as u64,
                line: self.line,
            };
            p.push(
                self.key.clone(),
                format!("{} {at}, column `{col}`: {what}", self.shown),
            );
        }
    }

    /// Records a problem about the whole file.
    pub fn whole(&mut self, p: &mut Problems, what: String) {
        self.errors += 1;
        p.push(self.key.clone(), format!("{}: {what}", self.shown));
    }

    /// Summarises problems beyond those listed.
    pub fn finish(&self, p: &mut Problems) {
        if self.errors > MAX_LISTED {
            p.push(
                self.key.clone(),
                format!(
                    "{}: {} more bad rows not listed",
                    self.shown,
                    self.errors - MAX_LISTED
                ),
            );
        }
    }
}

/// `rel` relative to the folder of the scenario file `origin`.
pub fn resolve(origin: &Path, rel: &str) -> PathBuf {
    let rel = Path::new(rel);
    if rel.is_absolute() {
        return rel.to_path_buf();
    }
    origin
        .parent()
        .map_or_else(|| rel.to_path_buf(), |d| d.join(rel))
}

/// Index of `v` among `names` (case-insensitive), or a problem listing the choices.
pub(crate) fn pick(names: &[&str], v: &str, what: &str) -> Result<u8, String> {
    names
        .iter()
        .position(|n| n.eq_ignore_ascii_case(v))
        .map(|i| i as u8)
        .ok_or_else(|| format!("unknown {what} {v:?}; use one of {}", names.join(", ")))
}

/// A required level that the scenario serves, or why not.
pub(crate) fn level_served(s: &Scenario, v: &str, allow_zero: bool) -> Result<u8, String> {
    let l: u8 = v
        .parse()
        .map_err(|_| format!("{v:?} is not a level; use 0..4"))?;
    let low = u8::from(!allow_zero);
    if !(low..=4).contains(&l) {
        return Err(format!("level {l} is out of range; use {low}..4"));
    }
    if (1..=3).contains(&l) && l as usize > s.tiers.len() {
        return Err(format!(
            "level {l} has no tier; add a [[tiers]] entry with level = {l} or change the row"
        ));
    }
    if l == 4 && s.vendor.is_none() {
        return Err("level 4 needs the vendor; add [vendor] or change the row".into());
    }
    Ok(l)
}

/// Category names of a scenario (one `default` without categories).
pub(crate) fn category_names(s: &Scenario) -> Vec<&str> {
    match &s.skills {
        Some(k) => k.names.iter().map(String::as_str).collect(),
        None => vec!["default"],
    }
}

/// Reads and checks the trace `rel` of scenario `s` (file `origin`).
pub(crate) fn load(s: &Scenario, origin: &Path, rel: &str, p: &mut Problems) -> Option<Trace> {
    let key = "demand.trace";
    let mut f = CsvFile::open(origin, rel, key, p)?;
    let col = |f: &CsvFile, names: &[&str]| f.column(names);
    let time = col(&f, &["arrival_min", "time_min"]);
    let channel = col(&f, &["arrival_channel", "channel"]);
    let priority = col(&f, &["arrival_priority", "priority"]);
    let segment = col(&f, &["segment"]);
    let level = col(&f, &["required_level"]);
    let category = col(&f, &["category"]);
    let work = col(&f, &["work_min"]);
    let replication = col(&f, &["replication"]);
    let ticket = col(&f, &["ticket"]);
    let origin_col = col(&f, &["origin"]);
    let mut missing = Vec::new();
    for (c, name) in [
        (time, "arrival_min"),
        (channel, "channel"),
        (priority, "priority"),
        (segment, "segment"),
    ] {
        if c.is_none() {
            missing.push(name);
        }
    }
    if !missing.is_empty() {
        f.whole(
            p,
            format!(
                "missing column(s) {}; the header has {}; add them (see docs/history.md)",
                missing.join(", "),
                f.header_text()
            ),
        );
        return None;
    }
    let (time, channel, priority, segment) = (
        time.expect("checked"),
        channel.expect("checked"),
        priority.expect("checked"),
        segment.expect("checked"),
    );
    let segs: Vec<&str> = s.demand.segment_names.iter().map(String::as_str).collect();
    let cats = category_names(s);
    let channel_names: Vec<&str> = s.channels.names().iter().map(String::as_str).collect();
    let span = s.run.span_min();
    let mut rows: Vec<(TraceRow, u64, usize)> = Vec::new();
    let mut after_end = 0;
    let mut first_rep: Option<String> = None;
    let mut record = csv::StringRecord::new();
    let mut row = 0usize;
    loop {
        match f.read(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                f.bad(
                    p,
                    row + 1,
                    "*",
                    format!("unreadable row: {e}; fix the CSV quoting or the number of fields"),
                );
                break;
            }
        }
        row += 1;
        if rows.len() >= MAX_TRACE_ROWS {
            f.whole(
                p,
                format!("more than {MAX_TRACE_ROWS} rows; split the period into several runs"),
            );
            break;
        }
        let get = |i: usize| record.get(i).unwrap_or("");
        if origin_col.is_some_and(|i| get(i) == "backlog") {
            // A ticket export of a run with a backlog: those rows are its initial state.
            continue;
        }
        let errors_before = f.errors;
        let t = match f.number(get(time)) {
            Ok(t) if t.is_finite() && t >= 0.0 => t,
            _ => {
                let c = f.header[time].clone();
                f.bad(
                    p,
                    row,
                    &c,
                    format!(
                        "{:?} is not a time >= 0 in minutes since the run's start",
                        get(time)
                    ),
                );
                0.0
            }
        };
        let ch = attr(
            &mut f,
            p,
            row,
            get(channel),
            channel,
            &channel_names,
            "channel",
        );
        let pr = attr_of(
            &mut f,
            p,
            row,
            priority,
            super::priorities::pick(&s.demand.priority_names, get(priority)),
        );
        let sg = attr(&mut f, p, row, get(segment), segment, &segs, "segment");
        let lv = match level.map(get).filter(|v| !v.is_empty()) {
            None => None,
            Some(v) => match level_served(s, v, true) {
                Ok(l) => Some(l),
                Err(m) => {
                    f.bad(p, row, "required_level", m);
                    None
                }
            },
        };
        let ct = category.map(get).filter(|v| !v.is_empty()).map(|v| {
            attr(
                &mut f,
                p,
                row,
                v,
                category.expect("present"),
                &cats,
                "category",
            )
        });
        let wk = match work.map(get).filter(|v| !v.is_empty()) {
            None => None,
            Some(v) => match f.number(v) {
                Ok(w) if w.is_finite() && (0.0..=super::limits::MAX_DURATION_MIN).contains(&w) => {
                    Some(w)
                }
                _ => {
                    f.bad(p, row, "work_min", format!("{v:?} is not a work time in minutes from 0 to {}; fix or leave empty to draw it", super::limits::MAX_DURATION_MIN));
                    None
                }
            },
        };
        if let Some(i) = replication {
            let v = get(i).to_string();
            match &first_rep {
                None => first_rep = Some(v),
                Some(r) if *r != v => {
                    f.bad(p, row, "replication", format!("holds replication {v} after {r}; keep one replication's rows (filter on replication)"));
                }
                Some(_) => {}
            }
        }
        let number = ticket
            .and_then(|i| get(i).parse::<u64>().ok())
            .unwrap_or(row as u64);
        if f.errors > errors_before {
            continue;
        }
        if t >= span {
            after_end += 1;
            continue;
        }
        rows.push((
            TraceRow {
                time_min: t,
                channel: ch,
                priority: pr,
                segment: sg,
                level: lv,
                category: ct,
                work_min: wk,
            },
            number,
            row,
        ));
    }
    f.finish(p);
    if f.errors > 0 {
        return None;
    }
    rows.sort_by(|a, b| {
        a.0.time_min
            .total_cmp(&b.0.time_min)
            .then(a.1.cmp(&b.1))
            .then(a.2.cmp(&b.2))
    });
    Some(Trace {
        file: resolve(origin, rel),
        rows: rows.into_iter().map(|r| r.0).collect(),
        after_end,
    })
}

/// One categorical cell: its index among `names`, or a problem recorded (and 0).
#[allow(clippy::too_many_arguments)]
pub(crate) fn attr(
    f: &mut CsvFile,
    p: &mut Problems,
    row: usize,
    v: &str,
    i: usize,
    names: &[&str],
    what: &str,
) -> u8 {
    attr_of(f, p, row, i, pick(names, v, what))
}

/// A categorical cell (column `i`) already looked up: its index, or the problem recorded
/// (and 0).
pub(crate) fn attr_of(
    f: &mut CsvFile,
    p: &mut Problems,
    row: usize,
    i: usize,
    found: Result<u8, String>,
) -> u8 {
    match found {
        Ok(v) => v,
        Err(m) => {
            let c = f.header[i].clone();
            f.bad(p, row, &c, m);
            0
        }
    }
}
