//! Terminal tables that fit the terminal: its width when stdout is one, else `COLUMNS`, else
//! 100 columns. Cells wrap inside their column instead of the terminal wrapping whole lines.

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};

/// Width for output that is not a terminal (pipes, files, CI logs) [columns].
pub const DEFAULT_COLUMNS: u16 = 100;
/// Narrowest layout we try to fit [columns]; below it tables overflow rather than become
/// one character per line.
const MIN_COLUMNS: u16 = 40;

/// The width tables are laid out for: `SUPPORTSIM_COLUMNS` (for tests and scripts), the
/// terminal's width, `COLUMNS`, or [`DEFAULT_COLUMNS`].
pub fn columns() -> u16 {
    let from_env = |k: &str| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.trim().parse::<u16>().ok())
            .filter(|&w| w > 0)
    };
    let width = from_env("SUPPORTSIM_COLUMNS")
        .or_else(|| Table::new().width())
        .or_else(|| from_env("COLUMNS"))
        .unwrap_or(DEFAULT_COLUMNS);
    width.max(MIN_COLUMNS)
}

/// An empty table in the house style, laid out for [`columns`].
pub fn new() -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(columns());
    t
}
