//! The CSV dialect of a file a user hands in (a ticket export, an arrival trace, a backlog):
//! its field separator, read from the header line, and the decimal comma that comes with a
//! separator other than `,`. Spreadsheets in most European locales save CSV with `;` and
//! write 9,5 for 9.5; telephony and WFM text reports are often tab-separated.

/// Field separators a file may use, the default first.
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// The field separator of a file: `,` unless its header line (the first line of `prefix`)
/// holds more `;`, tabs or `|` outside quotes.
pub fn sniff_delimiter(prefix: &[u8]) -> u8 {
    let line = prefix.split(|&b| b == b'\n').next().unwrap_or_default();
    let mut counts = [0usize; DELIMITERS.len()];
    let mut quoted = false;
    for &b in line {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(i) = DELIMITERS.iter().position(|&d| d == b) {
            counts[i] += 1;
        }
    }
    // A tie keeps the earlier separator, so a plain one-column file stays comma-separated.
    let best =
        (1..DELIMITERS.len()).fold(0, |best, i| if counts[i] > counts[best] { i } else { best });
    DELIMITERS[best]
}

/// How a message names a separator other than `,` (`None` for `,`).
pub fn separator_name(delimiter: u8) -> Option<&'static str> {
    match delimiter {
        b';' => Some("`;`"),
        b'\t' => Some("tabs"),
        b'|' => Some("`|`"),
        _ => None,
    }
}

/// `v` with its decimal comma made a point (`9,5` is `9.5`) when `decimal_comma` (the file
/// is `;`- or tab-separated, so `,` cannot part fields) and `v` has one comma and no point.
pub fn decimal_point(v: &str, decimal_comma: bool) -> std::borrow::Cow<'_, str> {
    if decimal_comma && !v.contains('.') && v.matches(',').count() == 1 {
        v.replace(',', ".").into()
    } else {
        v.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_separator_is_read_from_the_header_line_outside_quotes() {
        assert_eq!(sniff_delimiter(b"Created at,Via\n1;2;3;4\n"), b',');
        assert_eq!(sniff_delimiter(b"Created at;Via;Priority\n"), b';');
        assert_eq!(sniff_delimiter(b"date\tcalls\r\n"), b'\t');
        assert_eq!(sniff_delimiter(b"\"a;b;c\",d\n"), b',', "quoted ; is text");
        assert_eq!(sniff_delimiter(b"created\n"), b',', "one column");
        assert_eq!(sniff_delimiter(b"a|b|c\n"), b'|');
        assert_eq!(sniff_delimiter(b""), b',');
    }

    #[test]
    fn a_decimal_comma_is_read_only_where_commas_cannot_part_fields() {
        assert_eq!(decimal_point("9,5", true), "9.5");
        assert_eq!(decimal_point("9,5", false), "9,5");
        assert_eq!(decimal_point("1,234.5", true), "1,234.5");
        assert_eq!(decimal_point("1,2,3", true), "1,2,3");
        assert_eq!(decimal_point("12", true), "12");
    }
}
