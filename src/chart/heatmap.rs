//! Heatmap of values in [0, 1] (e.g. utilisation per pool and hour of week).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::common::*;
use super::{ChartError, Rendered};

/// Heatmap with one row per entry of `values` (e.g. agent pools, labelled by
/// `row_labels`, top to bottom) and one column per value (e.g. hour of week
/// 0..167), coloured with the colour-blind-safe viridis scale.
///
/// Values are fractions in `[0, 1]` (e.g. utilisation); the colour-scale
/// legend shows them as 0%..100% and values outside are clamped to the ends.
/// Non-finite values and the missing tail of shorter rows are drawn grey
/// ("no data" in the legend). Column `c` spans `c..c+1` on the x axis, with a
/// tick (and a thin white separator) every `x_tick_every` columns; 0 picks a
/// spacing automatically, and the spacing is widened if labels would
/// collide. Missing row labels are left blank. Empty `values` yields a chart
/// with a "No data" note.
pub fn heatmap(
    title: &str,
    x_label: &str,
    row_labels: &[String],
    values: &[Vec<f64>],
    x_tick_every: usize,
) -> Result<Rendered, ChartError> {
    render(&Heatmap {
        title,
        x_label,
        row_labels,
        values,
        x_tick_every,
        week: false,
    })
}

/// [`heatmap`] over the 168 hours of a week from Monday 00:00: each day is labelled with its
/// name (`Mon` .. `Sun`) at its centre, with hour ticks at 06:00, 12:00 and 18:00 and a white
/// separator between days.
pub fn heatmap_week(
    title: &str,
    x_label: &str,
    row_labels: &[String],
    values: &[Vec<f64>],
) -> Result<Rendered, ChartError> {
    render(&Heatmap {
        title,
        x_label,
        row_labels,
        values,
        x_tick_every: 24,
        week: true,
    })
}

/// Day names of a week from Monday.
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

struct Heatmap<'a> {
    title: &'a str,
    x_label: &'a str,
    row_labels: &'a [String],
    values: &'a [Vec<f64>],
    x_tick_every: usize,
    /// Columns are the hours of a week from Monday 00:00.
    week: bool,
}

/// Anchor colours of matplotlib's viridis scale, evenly spaced over [0, 1].
const VIRIDIS: [(f64, f64, f64); 8] = [
    (68.0, 1.0, 84.0),
    (70.0, 50.0, 127.0),
    (54.0, 92.0, 141.0),
    (39.0, 127.0, 143.0),
    (31.0, 162.0, 136.0),
    (74.0, 194.0, 110.0),
    (160.0, 219.0, 57.0),
    (254.0, 232.0, 37.0),
];

/// Viridis colour of a value in [0, 1] (clamped).
fn cell_color(v: f64) -> RGBColor {
    let t = v.clamp(0.0, 1.0) * (VIRIDIS.len() - 1) as f64;
    let i = (t.floor() as usize).min(VIRIDIS.len() - 2);
    let f = t - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let mix = |x: f64, y: f64| (x + (y - x) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

const LEGEND_W: u32 = 150;
const ROW_LABEL_MAX: u32 = 300;
const MARGIN_L: u32 = 10;
const MARGIN_R: u32 = 20;

/// Tick spacing in columns: `requested` (or an automatic one), widened until
/// labels `label_px` wide fit at `col_px` pixels per column.
fn tick_step(requested: usize, ncols: usize, col_px: f64, label_px: f64) -> usize {
    let mut step = if requested > 0 {
        requested
    } else {
        [1, 2, 5, 10, 12, 24, 50, 100, 200, 500, 1000]
            .into_iter()
            .find(|s| ncols / s <= 14)
            .unwrap_or(ncols.max(1))
    };
    while (step as f64) * col_px < label_px + 12.0 && step < ncols {
        step *= 2;
    }
    step.max(1)
}

impl Draw for Heatmap<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let body = frame(root, self.title)?;
        let nrows = self.values.len();
        let ncols = self.values.iter().map(Vec::len).max().unwrap_or(0);
        if nrows == 0 || ncols == 0 {
            return no_data(&body);
        }
        let any_missing = self
            .values
            .iter()
            .any(|r| r.len() < ncols || r.iter().any(|v| !v.is_finite()));

        let (w, _) = root.dim_in_pixel();
        let tick_font = tick_style();
        let mut labels = Vec::with_capacity(nrows);
        let mut label_w = 0;
        for i in 0..nrows {
            let raw = self.row_labels.get(i).map(String::as_str).unwrap_or("");
            let t = fit_text(root, raw, &tick_font, ROW_LABEL_MAX)?;
            label_w = label_w.max(text_width(root, &t, &tick_font)?);
            labels.push(t);
        }
        let y_area = label_w + 20;
        let (plot_area, _) = body.split_horizontally(w - LEGEND_W);

        let plot_w = (w - LEGEND_W).saturating_sub(y_area + MARGIN_L + MARGIN_R) as f64;
        let widest = text_width(root, &ncols.to_string(), &tick_font)? as f64;
        let step = tick_step(self.x_tick_every, ncols, plot_w / ncols as f64, widest);
        let x_ticks: Vec<f64> = (0..=ncols).step_by(step).map(|c| c as f64).collect();
        // A week: names at day centres; the separators stay at the day boundaries.
        let week = self.week && ncols == 168;
        let label_ticks: Vec<f64> = if week {
            (0..7).map(|d| d as f64 * 24.0 + 12.0).collect()
        } else {
            x_ticks.clone()
        };
        let y_ticks: Vec<f64> = (0..nrows).map(|i| i as f64 + 0.5).collect();

        let mut chart = ChartBuilder::on(&plot_area)
            .margin_top(14)
            .margin_bottom(10)
            .margin_left(MARGIN_L)
            .margin_right(MARGIN_R)
            .x_label_area_size(64)
            .y_label_area_size(y_area)
            .build_cartesian_2d(
                Axis::with_ticks(0.0, ncols as f64, label_ticks),
                Axis::with_ticks(0.0, nrows as f64, y_ticks),
            )
            .map_err(de)?;
        let row_of = |y: f64| -> String {
            let from_top = nrows as f64 - y;
            if from_top < 0.0 {
                return String::new();
            }
            labels
                .get(from_top.floor() as usize)
                .cloned()
                .unwrap_or_default()
        };
        chart
            .configure_mesh()
            .disable_mesh()
            .x_label_formatter(&|x| {
                if week {
                    let d = (x / 24.0).floor() as usize;
                    WEEKDAYS.get(d).map_or(String::new(), |n| n.to_string())
                } else {
                    format!("{}", x.round() as i64)
                }
            })
            .y_label_formatter(&|y| row_of(*y))
            .x_desc(self.x_label)
            .axis_desc_style(desc_style())
            .label_style(tick_font.clone())
            .axis_style(AXIS)
            .draw()
            .map_err(de)?;

        for (i, row) in self.values.iter().enumerate() {
            let top = (nrows - i) as f64;
            let cells = (0..ncols).map(|c| {
                let color = match row.get(c) {
                    Some(v) if v.is_finite() => cell_color(*v),
                    _ => MISSING,
                };
                Rectangle::new(
                    [(c as f64, top - 1.0), (c as f64 + 1.0, top)],
                    color.filled(),
                )
            });
            chart.draw_series(cells).map_err(de)?;
        }
        let (_, py) = chart.plotting_area().get_pixel_range();
        let separators = x_ticks
            .iter()
            .filter(|&&x| x > 0.0 && x < ncols as f64)
            .map(|&x| PathElement::new(vec![(x, 0.0), (x, nrows as f64)], WHITE.stroke_width(1)));
        chart.draw_series(separators).map_err(de)?;
        if week {
            // Small hour ticks under the cells at 06:00, 12:00 and 18:00 of each day.
            let tick_style = anchored(font(TICK_SIZE - 3.0).color(&MUTED), HPos::Center, VPos::Top);
            for d in 0..7 {
                for h in [6, 18] {
                    let (x, y) = chart.backend_coord(&((d * 24 + h) as f64, 0.0));
                    root.draw(&PathElement::new(
                        vec![(x, y), (x, y + 4)],
                        AXIS.stroke_width(1),
                    ))
                    .map_err(de)?;
                    root.draw(&Text::new(
                        format!("{h:02}"),
                        (x, y + 5),
                        tick_style.clone(),
                    ))
                    .map_err(de)?;
                }
            }
        }
        if nrows > 1 && (py.end - py.start) / nrows as i32 >= 8 {
            let lines = (1..nrows).map(|r| {
                let y = r as f64;
                PathElement::new(vec![(0.0, y), (ncols as f64, y)], WHITE.stroke_width(1))
            });
            chart.draw_series(lines).map_err(de)?;
        }

        colour_bar(root, (w - LEGEND_W) as i32, py.start, py.end, any_missing)?;
        Ok(())
    }
}

/// Vertical colour-scale legend in the column starting at `x`.
fn colour_bar<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    x: i32,
    top: i32,
    bottom: i32,
    any_missing: bool,
) -> Result<(), ChartError> {
    let x0 = x + 16;
    let x1 = x0 + 26;
    let height = (bottom - top).clamp(60, 380);
    let (top, bottom) = (top + 10, top + 10 + height);
    let steps = 100;
    let slices = (0..steps).map(|i| {
        let v0 = i as f64 / steps as f64;
        let v1 = (i + 1) as f64 / steps as f64;
        let ya = bottom - (v0 * height as f64).round() as i32;
        let yb = bottom - (v1 * height as f64).round() as i32;
        Rectangle::new([(x0, yb), (x1, ya)], cell_color((v0 + v1) / 2.0).filled())
    });
    for s in slices {
        root.draw(&s).map_err(de)?;
    }
    root.draw(&Rectangle::new(
        [(x0, top), (x1, bottom)],
        AXIS.stroke_width(1),
    ))
    .map_err(de)?;
    let style = anchored(tick_style(), HPos::Left, VPos::Center);
    for k in 0..=4 {
        let v = k as f64 / 4.0;
        let y = bottom - (v * height as f64).round() as i32;
        root.draw(&PathElement::new(
            vec![(x1, y), (x1 + 5, y)],
            AXIS.stroke_width(1),
        ))
        .map_err(de)?;
        root.draw(&Text::new(
            format!("{:.0}%", v * 100.0),
            (x1 + 9, y),
            style.clone(),
        ))
        .map_err(de)?;
    }
    if any_missing {
        let y = bottom + 30;
        root.draw(&Rectangle::new(
            [(x0, y - 9), (x1, y + 9)],
            MISSING.filled(),
        ))
        .map_err(de)?;
        root.draw(&Text::new("no data", (x1 + 9, y), style))
            .map_err(de)?;
    }
    Ok(())
}
