//! Timestamps split over columns (`--map created=Date+Time`), as call-centre and WFM exports
//! often write them (`Date,Time,...` or `Date,Interval,...`). Each such mapping adds a virtual
//! column to the header whose value is the parts joined by a space, so every later step
//! (date sniffing, columns, error messages naming `Date+Time`) sees one ordinary column.

use super::error::CalibrateError;
use super::formats::preview;

/// One virtual column: its name (`Date+Time`) and the file columns it joins, in order.
#[derive(Debug, Clone, PartialEq)]
struct Joined {
    parts: Vec<usize>,
}

/// The virtual columns of an export, appended after its own `width` columns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Joins {
    width: usize,
    joins: Vec<Joined>,
}

impl Joins {
    /// Finds the `--map` values that name columns joined with `+` and appends one virtual
    /// column per distinct value to `header`. A value that is itself a header name (a column
    /// really called `Date+Time`) is that column, not a join.
    ///
    /// # Errors
    /// [`CalibrateError::BadMapping`] when a part is empty or not in the header.
    pub fn resolve(
        header: &mut Vec<String>,
        map: &[(String, String)],
    ) -> Result<Joins, CalibrateError> {
        let width = header.len();
        let find = |header: &[String], name: &str| {
            let n = name.trim().to_lowercase();
            header[..width]
                .iter()
                .position(|h| h.trim().to_lowercase() == n)
        };
        let mut joins = Vec::new();
        for (key, value) in map {
            if !value.contains('+') || find(header, value).is_some() {
                continue;
            }
            let name = value.trim().to_string();
            if header[width..]
                .iter()
                .any(|h| h.eq_ignore_ascii_case(&name))
            {
                continue;
            }
            let parts = value
                .split('+')
                .map(|p| {
                    if p.trim().is_empty() {
                        return Err(CalibrateError::BadMapping(format!(
                            "{key}={value}: an empty column name around `+`; write COLUMN+COLUMN, e.g. {key}=Date+Time"
                        )));
                    }
                    find(header, p).ok_or_else(|| {
                        CalibrateError::BadMapping(format!(
                            "{key}={value}: no column {:?}; the header has: {}",
                            p.trim(),
                            preview(&header[..width])
                        ))
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            header.push(name);
            joins.push(Joined { parts });
        }
        Ok(Joins { width, joins })
    }

    /// Appends the virtual columns' values to `rec`, a row of the file. A ragged row is cut
    /// or padded with empty cells to the header's width first, so the virtual columns land
    /// at their header positions.
    pub fn extend(&self, rec: &mut csv::StringRecord) {
        if self.joins.is_empty() {
            return;
        }
        rec.truncate(self.width);
        while rec.len() < self.width {
            rec.push_field("");
        }
        let mut value = String::new();
        for j in &self.joins {
            value.clear();
            for (i, &c) in j.parts.iter().enumerate() {
                if i > 0 {
                    value.push(' ');
                }
                value.push_str(rec.get(c).unwrap_or("").trim());
            }
            rec.push_field(value.trim());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    fn map(entries: &[(&str, &str)]) -> Vec<(String, String)> {
        entries
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_join_adds_one_column_whose_value_is_the_parts_with_a_space() {
        let mut h = header(&["Call Id", "Date", "Time", "Topic"]);
        let j = Joins::resolve(&mut h, &map(&[("created", " date + TIME ")])).unwrap();
        assert_eq!(h.last().unwrap(), "date + TIME");
        let mut rec = csv::StringRecord::from(vec!["7", "2021-01-01 ", "9:12:58", "x"]);
        j.extend(&mut rec);
        assert_eq!(rec.len(), 5);
        assert_eq!(&rec[4], "2021-01-01 9:12:58");
    }

    #[test]
    fn a_real_column_with_a_plus_in_its_name_is_not_a_join() {
        let mut h = header(&["Date+Time", "Date", "Time"]);
        let j = Joins::resolve(&mut h, &map(&[("created", "Date+Time")])).unwrap();
        assert_eq!(
            j,
            Joins {
                width: 3,
                ..Joins::default()
            }
        );
        assert_eq!(h.len(), 3);
    }

    #[test]
    fn the_same_join_for_two_roles_is_one_column_and_a_ragged_row_reads_empty() {
        let mut h = header(&["d", "t", "d2"]);
        let j = Joins::resolve(&mut h, &map(&[("created", "d+t"), ("solved", "D+T")])).unwrap();
        assert_eq!(h.len(), 4);
        let mut rec = csv::StringRecord::from(vec!["2024-01-02"]);
        j.extend(&mut rec);
        assert_eq!(rec.len(), 4);
        assert_eq!(&rec[3], "2024-01-02");
    }

    #[test]
    fn unknown_and_empty_parts_are_refused_naming_the_mapping() {
        let mut h = header(&["Date", "Time"]);
        let e = Joins::resolve(&mut h, &map(&[("created", "Date+Hour")]))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("created=Date+Hour") && e.contains("\"Hour\"") && e.contains("\"Time\""),
            "{e}"
        );
        let e = Joins::resolve(&mut h, &map(&[("created", "Date+")]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("empty column name"), "{e}");
    }
}
