//! Line charts: mean lines with confidence bands, and curves with markers.

use plotters::coord::Shift;
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::common::*;
use super::{ChartError, Rendered};

/// One series of [`lines_with_bands`]: a mean line with a shaded band from
/// `low` to `high` (e.g. a 95% CI) at each `x`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BandSeries {
    /// Legend name; also sets the colour by position.
    pub name: String,
    /// X positions (sorted on drawing).
    pub x: Vec<f64>,
    /// Line values at each `x`.
    pub mean: Vec<f64>,
    /// Lower band edge at each `x`.
    pub low: Vec<f64>,
    /// Upper band edge at each `x`.
    pub high: Vec<f64>,
}

/// One curve of [`curves`]: points joined in the given order by straight
/// segments (pass the corner points for a step look).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Curve {
    /// Legend name; also sets the colour by position.
    pub name: String,
    /// `(x, y)` points; a non-finite point breaks the line.
    pub points: Vec<(f64, f64)>,
}

/// A labelled vertical reference line of [`curves`] (e.g. an SLA target).
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    /// X position of the line; a non-finite `x` (a limit with no place on this axis, such
    /// as one on a business-hours clock) draws no line and lists the label under the legend.
    pub x: f64,
    /// Text drawn next to the top of the line.
    pub label: String,
}

const MARGIN_R: u32 = 30;

/// Starts a linear x range at zero when the data start at or just above it.
fn snap_zero((lo, hi): (f64, f64)) -> (f64, f64) {
    if lo >= 0.0 && lo <= 0.1 * (hi - lo) {
        (0.0, hi)
    } else {
        (lo, hi)
    }
}

/// Mean lines with shaded bands, one per series (e.g. backlog over time with
/// its 95% CI band).
///
/// Vectors of unequal length are truncated per use to the shorter of the
/// ones involved; points are sorted by `x`; a non-finite value breaks the line
/// (or band) at that point. The y axis starts at zero when all values are
/// non-negative. Series without any finite point, or an empty `series`,
/// yield a chart with a "No data" note.
pub fn lines_with_bands(
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[BandSeries],
) -> Result<Rendered, ChartError> {
    render(&Bands {
        title,
        x_label,
        y_label,
        series,
        start: None,
    })
}

/// [`lines_with_bands`] over time: `x` is in days since local midnight of `start`, and the x
/// axis is labelled with dates (`Mon 12 Jan`) at whole days, a week apart on long runs.
pub fn lines_with_bands_dated(
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[BandSeries],
    start: jiff::civil::Date,
) -> Result<Rendered, ChartError> {
    render(&Bands {
        title,
        x_label,
        y_label,
        series,
        start: Some(start),
    })
}

struct Bands<'a> {
    title: &'a str,
    x_label: &'a str,
    y_label: &'a str,
    series: &'a [BandSeries],
    /// Dates on the x axis: x is in days since this date's midnight.
    start: Option<jiff::civil::Date>,
}

/// Whole-day ticks over `lo..hi` days: every day, every 2 days or every week, so that at most
/// about eight date labels share the axis.
fn day_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let span = hi - lo;
    let step = if span <= 8.0 {
        1.0
    } else if span <= 16.0 {
        2.0
    } else {
        (span / 8.0 / 7.0).ceil() * 7.0
    };
    let mut t = lo.ceil();
    let mut out = Vec::new();
    while t <= hi + 1e-9 {
        out.push(t);
        t += step;
    }
    out
}

/// `start` + `days` whole days as `Mon 12 Jan`.
fn date_label(start: jiff::civil::Date, days: f64) -> String {
    if !days.is_finite() || days.abs() > 36_500.0 {
        return String::new();
    }
    start
        .checked_add(jiff::Span::new().days(days.round() as i64))
        .map(|d| d.strftime("%a %-d %b").to_string())
        .unwrap_or_default()
}

/// Rows `(x, mean, low, high)` of a band series with a finite `x`, sorted by x.
fn band_rows(s: &BandSeries) -> Vec<(f64, f64, f64, f64)> {
    let nan = f64::NAN;
    let mut rows: Vec<_> =
        s.x.iter()
            .enumerate()
            .filter(|(_, x)| x.is_finite())
            .map(|(i, &x)| {
                (
                    x,
                    s.mean.get(i).copied().unwrap_or(nan),
                    s.low.get(i).copied().unwrap_or(nan),
                    s.high.get(i).copied().unwrap_or(nan),
                )
            })
            .collect();
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    rows
}

/// Maximal runs of consecutive items satisfying `keep`.
fn runs<T: Copy>(items: &[T], keep: impl Fn(&T) -> bool) -> Vec<Vec<T>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    for it in items {
        if keep(it) {
            cur.push(*it);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Draws one polyline (or a dot for a single point).
fn draw_line<DB: DrawingBackend, X: Ranged<ValueType = f64>>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<X, Axis<RangedCoordf64>>>,
    pts: Vec<(f64, f64)>,
    color: RGBColor,
) -> Result<(), ChartError> {
    if pts.len() == 1 {
        chart
            .draw_series(std::iter::once(Circle::new(pts[0], 4, color.filled())))
            .map_err(de)?;
    } else {
        chart
            .draw_series(std::iter::once(PathElement::new(
                pts,
                color.stroke_width(3),
            )))
            .map_err(de)?;
    }
    Ok(())
}

/// Configures the shared mesh look.
fn mesh<DB: DrawingBackend, X: Ranged<ValueType = f64> + ValueFormatter<f64>>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<X, Axis<RangedCoordf64>>>,
    x_label: &str,
    y_label: &str,
    x_fmt: &dyn Fn(&f64) -> String,
    y_fmt: &dyn Fn(&f64) -> String,
) -> Result<(), ChartError> {
    chart
        .configure_mesh()
        .x_labels(Y_TICKS)
        .y_labels(Y_TICKS)
        .x_label_formatter(x_fmt)
        .y_label_formatter(y_fmt)
        .x_desc(x_label)
        .y_desc(y_label)
        .axis_desc_style(desc_style())
        .label_style(tick_style())
        .bold_line_style(GRID_BOLD)
        .light_line_style(GRID_LIGHT)
        .axis_style(AXIS)
        .draw()
        .map_err(de)
}

fn builder<'a, 'b, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    y_area: u32,
) -> ChartBuilder<'a, 'b, DB> {
    let mut b = ChartBuilder::on(area);
    b.margin_top(14)
        .margin_bottom(10)
        .margin_left(10)
        .margin_right(MARGIN_R)
        .x_label_area_size(64)
        .y_label_area_size(y_area);
    b
}

impl Draw for Bands<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let body = frame(root, self.title)?;
        let rows: Vec<_> = self.series.iter().map(band_rows).collect();
        let any_finite =
            |r: &(f64, f64, f64, f64)| r.1.is_finite() || (r.2.is_finite() && r.3.is_finite());
        let x_range = finite_range(rows.iter().flatten().filter(|r| any_finite(r)).map(|r| r.0));
        let Some(x_range) = x_range else {
            return no_data(&body);
        };
        let (xlo, xhi) = snap_zero(pad_range(x_range, 0.0));
        let (ylo, yhi) = value_axis_range(finite_range(
            rows.iter().flatten().flat_map(|r| [r.1, r.2, r.3]),
        ));

        let entries: Vec<LegendEntry> = self
            .series
            .iter()
            .zip(&rows)
            .enumerate()
            .map(|(i, (s, r))| {
                let banded = r.iter().any(|r| r.2.is_finite() && r.3.is_finite());
                let c = series_color(i);
                LegendEntry::new(
                    s.name.as_str(),
                    if banded {
                        Swatch::Band(c)
                    } else {
                        Swatch::Line(c)
                    },
                )
            })
            .collect();
        let (w, _) = root.dim_in_pixel();
        let lw = legend_column_width(root, &entries)?;
        let (plot_area, _) = body.split_horizontally(w - lw);

        let x_fmt = NumFmt::for_axis(xlo, xhi, Y_TICKS, false);
        let y_fmt = NumFmt::for_axis(ylo, yhi, Y_TICKS, false);
        let y_axis = Axis::linear(ylo, yhi);
        let y_area = y_area_width(root, y_axis.ticks().iter().map(|t| y_fmt.fmt(*t)))?;
        let x_axis = match self.start {
            Some(_) => Axis::with_ticks(xlo, xhi, day_ticks(xlo, xhi)),
            None => Axis::linear(xlo, xhi),
        };
        let mut chart = builder(&plot_area, y_area)
            .build_cartesian_2d(x_axis, y_axis)
            .map_err(de)?;
        let start = self.start;
        mesh(
            &mut chart,
            self.x_label,
            self.y_label,
            &|x| match start {
                Some(d) => date_label(d, *x),
                None => x_fmt.fmt(*x),
            },
            &|y| y_fmt.fmt(*y),
        )?;

        // All bands first so that no band hides another series' line.
        for (i, r) in rows.iter().enumerate() {
            let c = series_color(i);
            for run in runs(r, |r| r.2.is_finite() && r.3.is_finite()) {
                if run.len() < 2 {
                    continue;
                }
                let mut poly: Vec<(f64, f64)> = run.iter().map(|r| (r.0, r.2.max(r.3))).collect();
                poly.extend(run.iter().rev().map(|r| (r.0, r.2.min(r.3))));
                chart
                    .draw_series(std::iter::once(Polygon::new(
                        poly,
                        c.mix(BAND_ALPHA).filled(),
                    )))
                    .map_err(de)?;
            }
        }
        for (i, r) in rows.iter().enumerate() {
            for run in runs(r, |r| r.1.is_finite()) {
                let pts = run.iter().map(|r| (r.0, r.1)).collect();
                draw_line(&mut chart, pts, series_color(i))?;
            }
        }

        let (_, py) = chart.plotting_area().get_pixel_range();
        draw_legend(root, &entries, (w - lw) as i32, lw, py.start)?;
        Ok(())
    }
}

/// Curves (e.g. empirical CDFs of resolution time, one per series) with
/// optional labelled vertical marker lines (e.g. SLA targets).
///
/// With `x_log` the x axis is logarithmic and points (and markers) with
/// `x <= 0` are dropped. With `y_percent` y ticks show fractions as
/// percentages, and when all y values lie in `[0, 1]` the y axis spans
/// exactly 0%..100% (plus a little headroom). Markers widen the x range so
/// they are always visible; their labels are staggered to avoid overlap.
/// An empty `curves` (or one without any finite point) yields a chart with
/// a "No data" note.
pub fn curves(
    title: &str,
    x_label: &str,
    y_label: &str,
    curves: &[Curve],
    markers: &[Marker],
    x_log: bool,
    y_percent: bool,
) -> Result<Rendered, ChartError> {
    render(&Curves {
        title,
        x_label,
        y_label,
        curves,
        markers,
        x_log,
        y_percent,
        dots: 0,
        labels: &[],
    })
}

/// A scatter plot on linear axes: each of `groups` drawn as unconnected dots (one colour per
/// group), then `highlight` (e.g. the Pareto-optimal points) drawn on top as rings joined in
/// the given order, so it reads as a frontier. With `y_percent` y ticks show fractions as
/// percentages. Non-finite points are skipped; no finite point yields a "No data" note.
pub fn scatter(
    title: &str,
    x_label: &str,
    y_label: &str,
    groups: &[Curve],
    highlight: Option<&Curve>,
    y_percent: bool,
) -> Result<Rendered, ChartError> {
    scatter_labelled(title, x_label, y_label, groups, highlight, y_percent, &[])
}

/// [`scatter`] with text labels next to points: `(x, y, text)` each (e.g. a sweep point's
/// settings). A label goes right of its point, else left, above or below, wherever it overlaps
/// no earlier label and stays inside the plot; labels that fit nowhere are left out rather than
/// drawn over each other.
pub fn scatter_labelled(
    title: &str,
    x_label: &str,
    y_label: &str,
    groups: &[Curve],
    highlight: Option<&Curve>,
    y_percent: bool,
    labels: &[(f64, f64, String)],
) -> Result<Rendered, ChartError> {
    let mut all = groups.to_vec();
    all.extend(highlight.cloned());
    render(&Curves {
        title,
        x_label,
        y_label,
        curves: &all,
        markers: &[],
        x_log: false,
        y_percent,
        dots: groups.len(),
        labels,
    })
}

struct Curves<'a> {
    title: &'a str,
    x_label: &'a str,
    y_label: &'a str,
    curves: &'a [Curve],
    markers: &'a [Marker],
    x_log: bool,
    y_percent: bool,
    /// The first `dots` curves are drawn as unconnected dots; later ones as lines with rings.
    dots: usize,
    /// Point labels `(x, y, text)`.
    labels: &'a [(f64, f64, String)],
}

impl Curves<'_> {
    fn usable_x(&self, x: f64) -> bool {
        x.is_finite() && (!self.x_log || x > 0.0)
    }

    fn usable(&self, p: &(f64, f64)) -> bool {
        self.usable_x(p.0) && p.1.is_finite()
    }

    /// Draws curves, markers and legend once the axes exist.
    fn finish<DB: DrawingBackend, X: Ranged<ValueType = f64> + ValueFormatter<f64>>(
        &self,
        root: &DrawingArea<DB, Shift>,
        chart: &mut ChartContext<'_, DB, Cartesian2d<X, Axis<RangedCoordf64>>>,
        x_fmt: &dyn Fn(&f64) -> String,
        (y_range, y_fmt): ((f64, f64), NumFmt),
        legend: (&[LegendEntry], u32),
    ) -> Result<(), ChartError> {
        let (ylo, yhi) = y_range;
        mesh(chart, self.x_label, self.y_label, x_fmt, &|y| y_fmt.fmt(*y))?;

        let markers: Vec<&Marker> = self.markers.iter().filter(|m| self.usable_x(m.x)).collect();
        for m in &markers {
            chart
                .draw_series(std::iter::once(DashedPathElement::new(
                    vec![(m.x, ylo), (m.x, yhi)],
                    8,
                    5,
                    REFERENCE.stroke_width(2),
                )))
                .map_err(de)?;
        }
        for (i, c) in self.curves.iter().enumerate() {
            let color = series_color(i);
            let pts = c.points.iter().filter(|p| self.usable(p)).copied();
            if i < self.dots {
                chart
                    .draw_series(pts.map(|p| Circle::new(p, 5, color.filled())))
                    .map_err(de)?;
                continue;
            }
            for run in runs(&c.points, |p| self.usable(p)) {
                draw_line(chart, run, color)?;
            }
            if self.dots > 0 {
                chart
                    .draw_series(pts.map(|p| Circle::new(p, 9, color.stroke_width(3))))
                    .map_err(de)?;
            }
        }
        self.marker_labels(root, chart, &markers, yhi)?;
        self.point_labels(root, chart)?;

        let (w, _) = root.dim_in_pixel();
        let (_, py) = chart.plotting_area().get_pixel_range();
        let (entries, lw) = legend;
        draw_legend(root, entries, (w - lw) as i32, lw, py.start)
    }

    /// Draws the point labels, each where it overlaps no earlier label (see
    /// [`scatter_labelled`]).
    fn point_labels<DB: DrawingBackend, X: Ranged<ValueType = f64> + ValueFormatter<f64>>(
        &self,
        root: &DrawingArea<DB, Shift>,
        chart: &ChartContext<'_, DB, Cartesian2d<X, Axis<RangedCoordf64>>>,
    ) -> Result<(), ChartError> {
        let (px, py) = chart.plotting_area().get_pixel_range();
        let style = font(TICK_SIZE - 1.0).color(&TEXT);
        let mut taken: Vec<(i32, i32, i32, i32)> = Vec::new();
        let max_w = ((px.end - px.start) as u32 / 2).max(40);
        for (x, y, label) in self.labels {
            if !self.usable(&(*x, *y)) || label.trim().is_empty() {
                continue;
            }
            let (cx, cy) = chart.backend_coord(&(*x, *y));
            let text = fit_text(root, label, &style, max_w)?;
            let tw = text_width(root, &text, &style)? as i32 + 8;
            let th = 20;
            let candidates = [
                (cx + 12, cy - th / 2),
                (cx - 12 - tw, cy - th / 2),
                (cx - tw / 2, cy - 14 - th),
                (cx - tw / 2, cy + 14),
                (cx + 12, cy - th - 6),
                (cx + 12, cy + 6),
                (cx - 12 - tw, cy - th - 6),
                (cx - 12 - tw, cy + 6),
            ];
            let free = |&(x0, y0): &(i32, i32)| {
                x0 >= px.start
                    && x0 + tw <= px.end
                    && y0 >= py.start
                    && y0 + th <= py.end
                    && taken
                        .iter()
                        .all(|&(a, b, c, d)| x0 + tw < a || x0 > c || y0 + th < b || y0 > d)
            };
            let Some(&(x0, y0)) = candidates.iter().find(|c| free(c)) else {
                continue;
            };
            taken.push((x0, y0, x0 + tw, y0 + th));
            root.draw(&Rectangle::new(
                [(x0, y0), (x0 + tw, y0 + th)],
                WHITE.mix(0.85).filled(),
            ))
            .map_err(de)?;
            root.draw(&Text::new(
                text,
                (x0 + 4, y0 + th / 2),
                anchored(style.clone(), HPos::Left, VPos::Center),
            ))
            .map_err(de)?;
        }
        Ok(())
    }

    /// Labels each marker next to its line, on the right of it (left when
    /// that crosses another marker's line or leaves the plot), near the top or the bottom of the
    /// plot, whichever covers fewer curve points, in the first row on that
    /// side where it does not overlap an earlier label.
    fn marker_labels<DB: DrawingBackend, X: Ranged<ValueType = f64> + ValueFormatter<f64>>(
        &self,
        root: &DrawingArea<DB, Shift>,
        chart: &ChartContext<'_, DB, Cartesian2d<X, Axis<RangedCoordf64>>>,
        markers: &[&Marker],
        yhi: f64,
    ) -> Result<(), ChartError> {
        const ROW_H: i32 = 24;
        let (px, py) = chart.plotting_area().get_pixel_range();
        let style = font(TICK_SIZE).color(&REFERENCE);
        let pixels: Vec<(i32, i32)> = self
            .curves
            .iter()
            .flat_map(|c| c.points.iter())
            .filter(|p| self.usable(p))
            .map(|p| chart.backend_coord(p))
            .collect();
        let lines_px: Vec<i32> = markers
            .iter()
            .map(|m| chart.backend_coord(&(m.x, yhi)).0)
            .collect();
        let mut order: Vec<&&Marker> = markers.iter().collect();
        order.sort_by(|a, b| a.x.total_cmp(&b.x));
        // Occupied x-spans per row, for the top side and the bottom side.
        let mut rows: [Vec<Vec<(i32, i32)>>; 2] = [Vec::new(), Vec::new()];
        let row_y = |side: usize, row: usize| {
            if side == 0 {
                py.start + 6 + row as i32 * ROW_H
            } else {
                py.end - 6 - (ROW_H - 2) - row as i32 * ROW_H
            }
        };
        for m in order {
            let (mx, _) = chart.backend_coord(&(m.x, yhi));
            let max_w = (px.end - px.start) as u32 / 2;
            let text = fit_text(root, &m.label, &style, max_w)?;
            let tw = text_width(root, &text, &style)? as i32;
            let right = (mx + 4, mx + 4 + tw + 8);
            let left = (mx - 4 - tw - 8, mx - 4);
            let fits = |(a, b): (i32, i32)| a >= px.start && b <= px.end;
            let clear = |(a, b): (i32, i32)| {
                !lines_px
                    .iter()
                    .any(|&l| l != mx && l >= a - 2 && l <= b + 2)
            };
            let (x0, x1) = [right, left]
                .into_iter()
                .find(|&span| fits(span) && clear(span))
                .or_else(|| [right, left].into_iter().find(|&span| fits(span)))
                .unwrap_or(right);
            let free_row = |side_rows: &Vec<Vec<(i32, i32)>>| {
                side_rows
                    .iter()
                    .position(|r| r.iter().all(|&(a, b)| x1 + 4 < a || x0 > b + 4))
                    .unwrap_or(side_rows.len())
            };
            let hits = |side: usize, row: usize| {
                let y0 = row_y(side, row);
                pixels
                    .iter()
                    .filter(|&&(x, y)| {
                        x >= x0 - 3 && x <= x1 + 3 && y >= y0 - 3 && y <= y0 + ROW_H + 1
                    })
                    .count()
            };
            let candidates = [(0, free_row(&rows[0])), (1, free_row(&rows[1]))];
            let (side, row) = candidates
                .into_iter()
                .min_by_key(|&(side, row)| (hits(side, row), row, side))
                .unwrap_or((0, 0));
            if row == rows[side].len() {
                rows[side].push(Vec::new());
            }
            rows[side][row].push((x0, x1));
            let y0 = row_y(side, row);
            root.draw(&Rectangle::new(
                [(x0, y0), (x1, y0 + ROW_H - 2)],
                WHITE.mix(0.85).filled(),
            ))
            .map_err(de)?;
            root.draw(&Text::new(
                text,
                (x0 + 4, y0 + (ROW_H - 2) / 2),
                anchored(style.clone(), HPos::Left, VPos::Center),
            ))
            .map_err(de)?;
        }
        Ok(())
    }
}

impl Draw for Curves<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let body = frame(root, self.title)?;
        let points = || {
            self.curves
                .iter()
                .flat_map(|c| c.points.iter())
                .filter(|p| self.usable(p))
        };
        if points().next().is_none() {
            return no_data(&body);
        }
        let x_range = finite_range(
            points().map(|p| p.0).chain(
                self.markers
                    .iter()
                    .map(|m| m.x)
                    .filter(|&x| self.usable_x(x)),
            ),
        );
        let y_data = finite_range(points().map(|p| p.1));
        let (ylo, yhi) = match y_data {
            // A scatter zooms in on its points: differences between designs are often a few percent.
            Some(r) if self.dots > 0 => pad_range(r, 0.08),
            Some((lo, hi)) if self.y_percent && lo >= 0.0 && hi <= 1.0 => (0.0, 1.03),
            other => value_axis_range(other),
        };

        let mut entries: Vec<LegendEntry> = self
            .curves
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let swatch = if i < self.dots {
                    Swatch::Dot(series_color(i))
                } else {
                    Swatch::Line(series_color(i))
                };
                LegendEntry::new(c.name.as_str(), swatch)
            })
            .collect();
        // Markers without a place on this axis (e.g. limits on a business-hours clock on a
        // wall-clock axis) are listed under the legend instead of being drawn somewhere false.
        let off_axis: Vec<&Marker> = self.markers.iter().filter(|m| !m.x.is_finite()).collect();
        if !off_axis.is_empty() {
            entries.push(LegendEntry::new("not on this axis:", Swatch::Text));
            for m in off_axis {
                // Many targets can share one limit: one legend line per few names, so the
                // label is never cut off at the legend's edge.
                for line in wrap_label(&m.label, OFF_AXIS_LINE_CHARS) {
                    entries.push(LegendEntry::new(line, Swatch::Text));
                }
            }
        }
        let (w, _) = root.dim_in_pixel();
        let lw = legend_column_width(root, &entries)?;
        let (plot_area, _) = body.split_horizontally(w - lw);
        let y_fmt = NumFmt::for_axis(ylo, yhi, Y_TICKS, self.y_percent);
        let y_ticks: Vec<String> = Axis::linear(ylo, yhi)
            .ticks()
            .iter()
            .map(|t| y_fmt.fmt(*t))
            .collect();
        let y_area = y_area_width(root, y_ticks)?;

        if self.x_log {
            let (xlo, xhi) = log_axis_range(x_range);
            let mut chart = builder(&plot_area, y_area)
                .build_cartesian_2d(Axis::log(xlo, xhi), Axis::linear(ylo, yhi))
                .map_err(de)?;
            self.finish(
                root,
                &mut chart,
                &|x| fmt_sig(*x),
                ((ylo, yhi), y_fmt),
                (&entries, lw),
            )
        } else {
            let (xlo, xhi) = match x_range {
                Some(r) if self.dots > 0 => pad_range(r, 0.05),
                Some(r) => snap_zero(pad_range(r, 0.0)),
                None => (0.0, 1.0),
            };
            let x_fmt = NumFmt::for_axis(xlo, xhi, Y_TICKS, false);
            let mut chart = builder(&plot_area, y_area)
                .build_cartesian_2d(Axis::linear(xlo, xhi), Axis::linear(ylo, yhi))
                .map_err(de)?;
            self.finish(
                root,
                &mut chart,
                &|x| x_fmt.fmt(*x),
                ((ylo, yhi), y_fmt),
                (&entries, lw),
            )
        }
    }
}

/// Longest legend line of a marker that has no place on the axis [characters].
const OFF_AXIS_LINE_CHARS: usize = 34;

/// Breaks `label` after ", " or ": " into lines of at most about `max` characters (a single
/// longer part keeps its own line); continuation lines are indented.
fn wrap_label(label: &str, max: usize) -> Vec<String> {
    let mut parts: Vec<&str> = Vec::new();
    let mut rest = label;
    while let Some(i) = rest.find([',', ':']) {
        let end = (i + 2).min(rest.len());
        parts.push(&rest[..end]);
        rest = &rest[end..];
    }
    parts.push(rest);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for part in parts.into_iter().filter(|p| !p.is_empty()) {
        if !line.is_empty() && line.chars().count() + part.trim_end().chars().count() > max {
            lines.push(line.trim_end().to_string());
            line = "  ".to_string();
        }
        line.push_str(part);
    }
    if !line.trim().is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

#[cfg(test)]
mod wrap_tests {
    use super::wrap_label;

    #[test]
    fn long_marker_labels_wrap_at_commas_and_keep_every_character() {
        let label = "P1/smb, P2/enterprise, P2/mid_market, P2/smb: 24 business h (us-business)";
        let lines = wrap_label(label, 34);
        assert!(lines.len() >= 2, "{lines:?}");
        assert!(lines.iter().all(|l| l.chars().count() <= 36), "{lines:?}");
        let joined: String = lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
        assert_eq!(joined, label);
        assert_eq!(wrap_label("P1/enterprise", 34), ["P1/enterprise"]);
    }
}
