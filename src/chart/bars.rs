//! Categorical bar charts: grouped bars with CI error bars, stacked cost bars.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::common::*;
use super::{ChartError, Rendered};

/// One bar: a mean with its confidence interval, in category `category` and
/// series `series`.
#[derive(Debug, Clone, PartialEq)]
pub struct CiBar {
    /// X-axis group the bar belongs to (e.g. "P1").
    pub category: String,
    /// Series the bar belongs to (e.g. "first response"); sets its colour.
    pub series: String,
    /// Bar height.
    pub mean: f64,
    /// Lower end of the error bar.
    pub ci_low: f64,
    /// Upper end of the error bar.
    pub ci_high: f64,
    /// Optional goal marker, drawn as a short dashed horizontal line across
    /// this bar's slot.
    pub goal: Option<f64>,
}

impl CiBar {
    /// A bar at an estimate's mean with its 95% CI as the error bar.
    pub fn of_estimate(
        category: String,
        series: String,
        e: &crate::stats::summary::Estimate,
        goal: Option<f64>,
    ) -> CiBar {
        CiBar {
            category,
            series,
            mean: e.mean,
            ci_low: e.ci_low,
            ci_high: e.ci_high,
            goal,
        }
    }
}

/// One stacked bar of a cost breakdown.
#[derive(Debug, Clone, PartialEq)]
pub struct StackedBar {
    /// X-axis label of the bar (e.g. a scenario name).
    pub category: String,
    /// `(component, value)` pairs stacked bottom to top; a component keeps
    /// the same colour in every bar. Negative values stack below zero.
    pub parts: Vec<(String, f64)>,
}

/// Distinct values in order of first appearance.
fn distinct<'a>(items: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for s in items {
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// The parts of `b` with a finite value.
fn finite_parts(b: &StackedBar) -> impl Iterator<Item = &(String, f64)> {
    b.parts.iter().filter(|(_, v)| v.is_finite())
}

/// Most lines of one category label; a label longer than that is shortened with an ellipsis.
const MAX_LABEL_LINES: usize = 5;

/// Pieces of `text` between break opportunities: after a space (dropped) and after `/`, `,`,
/// `=`, `-`, `.` and `_` (kept), so `P1/enterprise` can break as `P1/` + `enterprise`.
fn break_pieces(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        if c == ' ' {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur) + " ");
            }
            continue;
        }
        cur.push(c);
        if matches!(c, '/' | ',' | '=' | '-' | '.' | '_') {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Splits `text` into lines of at most `max_px` pixels, breaking at spaces and after
/// punctuation, and inside a word only when the word alone is wider than a line; only a label
/// needing more than [`MAX_LABEL_LINES`] lines is shortened with an ellipsis.
fn wrap_label<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    max_px: u32,
) -> Result<Vec<String>, ChartError> {
    if text_width(root, text, style)? <= max_px {
        return Ok(vec![text.to_string()]);
    }
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for piece in break_pieces(text) {
        let candidate = format!("{cur}{piece}");
        if text_width(root, candidate.trim_end(), style)? <= max_px {
            cur = candidate;
            continue;
        }
        if !cur.is_empty() {
            lines.push(cur.trim_end().to_string());
            cur = String::new();
        }
        // A piece wider than a line: break it between characters.
        for c in piece.chars() {
            let candidate = format!("{cur}{c}");
            if !cur.is_empty() && text_width(root, candidate.trim_end(), style)? > max_px {
                lines.push(cur.trim_end().to_string());
                cur = c.to_string();
            } else {
                cur = candidate;
            }
        }
    }
    if !cur.trim().is_empty() {
        lines.push(cur.trim_end().to_string());
    }
    if lines.len() > MAX_LABEL_LINES {
        let rest = lines[MAX_LABEL_LINES - 1..].join("");
        lines.truncate(MAX_LABEL_LINES - 1);
        lines.push(fit_text(root, &rest, style, max_px)?);
    }
    Ok(lines)
}

/// Category labels wrapped to fit their slot on an x axis of `plot_w` pixels.
fn wrapped_labels<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    categories: &[&str],
    plot_w: u32,
) -> Result<Vec<Vec<String>>, ChartError> {
    let slot = plot_w / categories.len().max(1) as u32;
    let style = tick_style();
    categories
        .iter()
        .map(|c| wrap_label(root, c, &style, slot.saturating_sub(8).max(24)))
        .collect()
}

/// Height of the x label area for `labels` (with an axis description line).
fn x_area_height(labels: &[Vec<String>], with_desc: bool) -> u32 {
    let lines = labels.iter().map(Vec::len).max().unwrap_or(1) as u32;
    14 + lines * 19 + if with_desc { 30 } else { 4 }
}

/// Draws each category's (possibly two-line) label under its slot centre.
fn draw_category_labels<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &ChartContext<'_, DB, Cartesian2d<Axis<RangedCoordf64>, Axis<RangedCoordf64>>>,
    labels: &[Vec<String>],
    y_bottom: f64,
) -> Result<(), ChartError> {
    let style = anchored(tick_style(), HPos::Center, VPos::Top);
    for (i, lines) in labels.iter().enumerate() {
        let (cx, cy) = chart.backend_coord(&(i as f64 + 0.5, y_bottom));
        for (k, line) in lines.iter().enumerate() {
            root.draw(&Text::new(
                line.as_str(),
                (cx, cy + 10 + 19 * k as i32),
                style.clone(),
            ))
            .map_err(de)?;
        }
    }
    Ok(())
}

/// Mesh styling shared by the bar charts (category labels drawn separately).
fn bar_mesh<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<Axis<RangedCoordf64>, Axis<RangedCoordf64>>>,
    x_label: &str,
    y_label: &str,
    fmt: NumFmt,
) -> Result<(), ChartError> {
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_label_formatter(&|_| String::new())
        .y_label_formatter(&|y| fmt.fmt(*y))
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

/// Widest a single bar may get, in pixels.
const MAX_BAR_PX: f64 = 150.0;
const MARGIN_L: u32 = 10;
const MARGIN_R: u32 = 25;

/// Grouped bar chart with confidence-interval error bars, e.g. SLA
/// attainment per priority (categories "P1".."P4") for the series
/// "first response" and "resolution".
///
/// Categories and series appear in order of first appearance in `bars`.
/// Each bar is drawn from zero (or from the bottom of `y_range` when zero is
/// outside it) to `mean`, with a vertical error bar with caps from `ci_low` to
/// `ci_high` and, when `goal` is set, a dashed goal line across the bar's slot.
/// Values outside `y_range` are clipped to it; an invalid `y_range` (non-finite
/// or `min > max`) is replaced by one fitted to the data, and `min == max` is
/// padded. With `y_percent` the y ticks show fractions as percentages
/// (0.95 → "95%"). Non-finite means, CI ends and goals are skipped. Empty
/// `bars` yields a chart with a "No data" note.
pub fn grouped_bars_ci(
    title: &str,
    x_label: &str,
    y_label: &str,
    bars: &[CiBar],
    y_range: (f64, f64),
    y_percent: bool,
) -> Result<Rendered, ChartError> {
    render(&GroupedBars {
        title,
        x_label,
        y_label,
        bars,
        y_range,
        y_percent,
    })
}

struct GroupedBars<'a> {
    title: &'a str,
    x_label: &'a str,
    y_label: &'a str,
    bars: &'a [CiBar],
    y_range: (f64, f64),
    y_percent: bool,
}

impl Draw for GroupedBars<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let body = frame(root, self.title)?;
        if self.bars.is_empty() {
            return no_data(&body);
        }
        let categories = distinct(self.bars.iter().map(|b| b.category.as_str()));
        let series = distinct(self.bars.iter().map(|b| b.series.as_str()));

        let (lo, hi) = match self.y_range {
            (lo, hi) if lo.is_finite() && hi.is_finite() && hi >= lo => pad_range((lo, hi), 0.0),
            _ => {
                value_axis_range(finite_range(self.bars.iter().flat_map(|b| {
                    [0.0, b.mean, b.ci_low, b.ci_high, b.goal.unwrap_or(f64::NAN)]
                })))
            }
        };
        let clamp = |v: f64| v.clamp(lo, hi);

        let mut entries: Vec<LegendEntry> = series
            .iter()
            .enumerate()
            .map(|(i, s)| LegendEntry::new(*s, Swatch::Fill(series_color(i))))
            .collect();
        if self
            .bars
            .iter()
            .any(|b| b.ci_low.is_finite() && b.ci_high.is_finite())
        {
            entries.push(LegendEntry::new("95% CI", Swatch::ErrorBar(REFERENCE)));
        }
        if self.bars.iter().any(|b| b.goal.is_some_and(f64::is_finite)) {
            entries.push(LegendEntry::new("goal", Swatch::Dashed(TEXT)));
        }
        let (w, _) = root.dim_in_pixel();
        let lw = legend_column_width(root, &entries)?;
        let (plot_area, _) = body.split_horizontally(w - lw);

        let n = categories.len();
        let fmt = NumFmt::for_axis(lo, hi, Y_TICKS, self.y_percent);
        let y_axis = Axis::linear(lo, hi);
        let y_area = y_area_width(root, y_axis.ticks().iter().map(|t| fmt.fmt(*t)))?;
        let plot_w = (w - lw).saturating_sub(y_area + MARGIN_L + MARGIN_R);
        let labels = wrapped_labels(root, &categories, plot_w)?;

        let mut chart = ChartBuilder::on(&plot_area)
            .margin_top(14)
            .margin_bottom(6)
            .margin_left(MARGIN_L)
            .margin_right(MARGIN_R)
            .x_label_area_size(x_area_height(&labels, true))
            .y_label_area_size(y_area)
            .build_cartesian_2d(Axis::categorical(n), y_axis)
            .map_err(de)?;
        bar_mesh(&mut chart, self.x_label, self.y_label, fmt)?;
        draw_category_labels(root, &chart, &labels, lo)?;

        let ns = series.len() as f64;
        let slot_px = plot_w as f64 / n as f64;
        let bw = (0.8 / ns).min(MAX_BAR_PX / slot_px.max(1.0));
        let group_left = 0.5 - bw * ns / 2.0;
        let base = if lo <= 0.0 && hi >= 0.0 { 0.0 } else { lo };
        let slot_of = |b: &CiBar| {
            let ci = categories.iter().position(|c| *c == b.category)? as f64;
            let si = series.iter().position(|s| *s == b.series)?;
            Some((ci + group_left + si as f64 * bw, si))
        };
        // Bars first, then error bars and goals on top of every bar.
        for b in self.bars {
            let Some((x0, si)) = slot_of(b) else { continue };
            if b.mean.is_finite() {
                let gap = bw * 0.06;
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x0 + gap, base), (x0 + bw - gap, clamp(b.mean))],
                        series_color(si).filled(),
                    )))
                    .map_err(de)?;
            }
        }
        for b in self.bars {
            let Some((x0, _)) = slot_of(b) else { continue };
            let xm = x0 + bw / 2.0;
            if b.ci_low.is_finite() && b.ci_high.is_finite() {
                let (l, h) = (
                    clamp(b.ci_low.min(b.ci_high)),
                    clamp(b.ci_low.max(b.ci_high)),
                );
                let cap = (bw * 0.18).min(0.06);
                let style = REFERENCE.stroke_width(2);
                let segs = [
                    [(xm, l), (xm, h)],
                    [(xm - cap, l), (xm + cap, l)],
                    [(xm - cap, h), (xm + cap, h)],
                ];
                chart
                    .draw_series(segs.iter().map(|s| PathElement::new(s.to_vec(), style)))
                    .map_err(de)?;
            }
            if let Some(g) = b.goal.filter(|g| g.is_finite() && *g >= lo && *g <= hi) {
                chart
                    .draw_series(std::iter::once(DashedPathElement::new(
                        vec![(x0, g), (x0 + bw, g)],
                        7,
                        4,
                        TEXT.stroke_width(3),
                    )))
                    .map_err(de)?;
            }
        }

        let (_, py) = chart.plotting_area().get_pixel_range();
        draw_legend(root, &entries, (w - lw) as i32, lw, py.start)?;
        Ok(())
    }
}

/// Stacked vertical bars, e.g. a cost breakdown per scenario (category x
/// component, values in USD).
///
/// Components are coloured in order of first appearance and listed in the
/// legend top-of-stack first; each bar's net total is printed above it.
/// Non-finite parts are skipped; negative parts stack downwards from zero.
/// Empty `bars` yields a chart with a "No data" note.
pub fn stacked_bars(
    title: &str,
    y_label: &str,
    bars: &[StackedBar],
) -> Result<Rendered, ChartError> {
    render(&Stacked {
        title,
        y_label,
        bars,
    })
}

struct Stacked<'a> {
    title: &'a str,
    y_label: &'a str,
    bars: &'a [StackedBar],
}

impl Draw for Stacked<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let body = frame(root, self.title)?;
        if self.bars.is_empty() {
            return no_data(&body);
        }
        let categories: Vec<&str> = self.bars.iter().map(|b| b.category.as_str()).collect();
        let components = distinct(
            self.bars
                .iter()
                .flat_map(|b| b.parts.iter().map(|(name, _)| name.as_str())),
        );
        let (mut lo, mut hi) = (0f64, 0f64);
        for b in self.bars {
            let pos: f64 = finite_parts(b).map(|(_, v)| v.max(0.0)).sum();
            let neg: f64 = finite_parts(b).map(|(_, v)| v.min(0.0)).sum();
            hi = hi.max(pos);
            lo = lo.min(neg);
        }
        let (lo, hi) = if hi > lo {
            let span = hi - lo;
            (
                if lo < 0.0 { lo - 0.05 * span } else { 0.0 },
                hi + 0.1 * span,
            )
        } else {
            (0.0, 1.0)
        };
        let (lo, hi) = sane((lo, hi));

        let entries: Vec<LegendEntry> = components
            .iter()
            .enumerate()
            .rev()
            .map(|(i, c)| LegendEntry::new(*c, Swatch::Fill(series_color(i))))
            .collect();
        let (w, _) = root.dim_in_pixel();
        let lw = legend_column_width(root, &entries)?;
        let (plot_area, _) = body.split_horizontally(w - lw);

        let n = categories.len();
        let fmt = NumFmt::for_axis(lo, hi, Y_TICKS, false);
        let y_axis = Axis::linear(lo, hi);
        let y_area = y_area_width(root, y_axis.ticks().iter().map(|t| fmt.fmt(*t)))?;
        let plot_w = (w - lw).saturating_sub(y_area + MARGIN_L + MARGIN_R);
        let labels = wrapped_labels(root, &categories, plot_w)?;

        let mut chart = ChartBuilder::on(&plot_area)
            .margin_top(14)
            .margin_bottom(6)
            .margin_left(MARGIN_L)
            .margin_right(MARGIN_R)
            .x_label_area_size(x_area_height(&labels, false))
            .y_label_area_size(y_area)
            .build_cartesian_2d(Axis::categorical(n), y_axis)
            .map_err(de)?;
        bar_mesh(&mut chart, "", self.y_label, fmt)?;
        draw_category_labels(root, &chart, &labels, lo)?;

        let half = (0.3f64).min(MAX_BAR_PX / 2.0 / (plot_w as f64 / n as f64).max(1.0));
        let total_style = anchored(font(TICK_SIZE), HPos::Center, VPos::Bottom);
        for (i, b) in self.bars.iter().enumerate() {
            let (x0, x1) = (i as f64 + 0.5 - half, i as f64 + 0.5 + half);
            let (mut up, mut down) = (0.0, 0.0);
            for (name, v) in finite_parts(b) {
                let ci = components.iter().position(|c| c == name).unwrap_or(0);
                let (y0, y1) = if *v >= 0.0 {
                    up += v;
                    (up - v, up)
                } else {
                    down += v;
                    (down - v, down)
                };
                chart
                    .draw_series([
                        Rectangle::new([(x0, y0), (x1, y1)], series_color(ci).filled()),
                        Rectangle::new([(x0, y0), (x1, y1)], WHITE.stroke_width(1)),
                    ])
                    .map_err(de)?;
            }
            if finite_parts(b).next().is_some() {
                let label = fmt_sig(up + down);
                chart
                    .draw_series(std::iter::once(
                        EmptyElement::at((i as f64 + 0.5, up))
                            + Text::new(label, (0, -6), total_style.clone()),
                    ))
                    .map_err(de)?;
            }
        }

        let (_, py) = chart.plotting_area().get_pixel_range();
        draw_legend(root, &entries, (w - lw) as i32, lw, py.start)?;
        Ok(())
    }
}
