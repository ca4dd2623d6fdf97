//! Shared look, rendering and helpers for all charts.

use std::fmt::Display;
use std::sync::Once;

use image::ImageEncoder;
use image::codecs::png::PngEncoder;
use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::register_font;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{ChartError, Rendered};

/// Width of every rendered chart, in pixels.
pub const WIDTH: u32 = 1200;
/// Height of every rendered chart, in pixels.
pub const HEIGHT: u32 = 700;

pub(crate) const FONT: &str = "sans-serif";
pub(crate) const TITLE_SIZE: f64 = 28.0;
pub(crate) const DESC_SIZE: f64 = 18.0;
pub(crate) const TICK_SIZE: f64 = 15.0;
pub(crate) const LEGEND_SIZE: f64 = 16.0;
/// Height of the band at the top holding the title.
pub(crate) const TITLE_H: u32 = 54;
/// Number of tick labels requested on linear value axes.
pub(crate) const Y_TICKS: usize = 10;

pub(crate) const TEXT: RGBColor = RGBColor(34, 34, 34);
pub(crate) const MUTED: RGBColor = RGBColor(90, 90, 90);
pub(crate) const GRID_BOLD: RGBColor = RGBColor(222, 222, 222);
pub(crate) const GRID_LIGHT: RGBColor = RGBColor(243, 243, 243);
pub(crate) const AXIS: RGBColor = RGBColor(120, 120, 120);
pub(crate) const REFERENCE: RGBColor = RGBColor(60, 60, 60);
pub(crate) const MISSING: RGBColor = RGBColor(205, 205, 205);

/// Okabe-Ito colour-blind-friendly palette, assigned to series in order.
const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(230, 159, 0),   // orange
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(240, 228, 66),  // yellow
    RGBColor(110, 110, 110), // grey
];

/// Colour of the `i`-th series (cycles after eight).
pub(crate) fn series_color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

static FONTS: Once = Once::new();

/// Registers the embedded `DejaVu` fonts with plotters (once per process).
fn ensure_fonts() {
    FONTS.call_once(|| {
        // The embedded fonts are valid TrueType files; an error here would only
        // surface later as a FontUnavailable drawing error, which is reported.
        let _ = register_font(FONT, FontStyle::Normal, dejavu::sans::regular());
        let _ = register_font(FONT, FontStyle::Bold, dejavu::sans::bold());
    });
}

/// Converts any plotters error into a [`ChartError::Draw`].
pub(crate) fn de<E: Display>(e: E) -> ChartError {
    ChartError::Draw(e.to_string())
}

/// A chart that can be drawn onto any plotters backend.
pub(crate) trait Draw {
    /// Draws the whole chart onto `root` (which covers the full image).
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError>;
}

/// Renders a chart to SVG and PNG at the default size.
pub(crate) fn render(chart: &impl Draw) -> Result<Rendered, ChartError> {
    ensure_fonts();
    let (w, h) = (WIDTH, HEIGHT);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        chart.draw(&root)?;
        root.present().map_err(de)?;
    }
    let mut rgb = vec![255u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        chart.draw(&root)?;
        root.present().map_err(de)?;
    }
    let mut png = Vec::new();
    PngEncoder::new(&mut png)
        .write_image(&rgb, w, h, image::ColorType::Rgb8)
        .map_err(|e| ChartError::Encode(e.to_string()))?;
    Ok(Rendered { svg, png })
}

pub(crate) fn font(size: f64) -> TextStyle<'static> {
    (FONT, size).into_font().color(&TEXT)
}

pub(crate) fn bold(size: f64) -> TextStyle<'static> {
    // `FontDesc::style` would keep the regular face's data; build it afresh.
    (FONT, size, FontStyle::Bold).into_font().color(&TEXT)
}

pub(crate) fn anchored(style: TextStyle<'static>, h: HPos, v: VPos) -> TextStyle<'static> {
    style.pos(Pos::new(h, v))
}

/// Pixel width of `text` in `style`.
pub(crate) fn text_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
) -> Result<u32, ChartError> {
    Ok(area.estimate_text_size(text, style).map_err(de)?.0)
}

/// Shortens `text` with an ellipsis until it fits in `max_px` pixels.
pub(crate) fn fit_text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    max_px: u32,
) -> Result<String, ChartError> {
    if text_width(area, text, style)? <= max_px {
        return Ok(text.to_string());
    }
    let chars: Vec<char> = text.chars().collect();
    for keep in (0..chars.len()).rev() {
        let candidate: String = chars[..keep]
            .iter()
            .collect::<String>()
            .trim_end()
            .to_string()
            + "…";
        if text_width(area, &candidate, style)? <= max_px {
            return Ok(candidate);
        }
    }
    Ok("…".to_string())
}

/// Fills the background, draws the title (shrunk, then shortened with an
/// ellipsis, if it is too wide) and returns the area below it.
pub(crate) fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
) -> Result<DrawingArea<DB, Shift>, ChartError> {
    root.fill(&WHITE).map_err(de)?;
    let (w, _) = root.dim_in_pixel();
    // Long titles are shrunk (down to 20 px) before they are shortened.
    let max_w = w.saturating_sub(40);
    let mut style = bold(TITLE_SIZE);
    for size in [24.0, 20.0] {
        if text_width(root, title, &style)? <= max_w {
            break;
        }
        style = bold(size);
    }
    let text = fit_text(root, title, &style, max_w)?;
    root.draw(&Text::new(
        text,
        ((w / 2) as i32, (TITLE_H / 2) as i32 + 2),
        anchored(style, HPos::Center, VPos::Center),
    ))
    .map_err(de)?;
    Ok(root.split_vertically(TITLE_H).1)
}

/// Draws a centred "No data" note in `area`.
pub(crate) fn no_data<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    area.draw(&Rectangle::new(
        [(40, 20), (w - 40, h - 40)],
        ShapeStyle::from(&GRID_BOLD).stroke_width(2),
    ))
    .map_err(de)?;
    area.draw(&Text::new(
        "No data",
        (w / 2, h / 2 - 10),
        anchored(font(26.0).color(&MUTED), HPos::Center, VPos::Center),
    ))
    .map_err(de)
}

/// The look of one legend entry's swatch.
#[derive(Clone, Copy)]
pub(crate) enum Swatch {
    /// Filled box (bars, heatmap cells).
    Fill(RGBColor),
    /// Solid line.
    Line(RGBColor),
    /// Solid line over a translucent band.
    Band(RGBColor),
    /// Dashed line.
    Dashed(RGBColor),
    /// Vertical error bar with caps.
    ErrorBar(RGBColor),
    /// Filled dot (scatter points).
    Dot(RGBColor),
    /// No swatch: a line of text (a note under the legend's entries).
    Text,
}

/// One legend row.
pub(crate) struct LegendEntry {
    pub label: String,
    pub swatch: Swatch,
}

impl LegendEntry {
    pub(crate) fn new(label: impl Into<String>, swatch: Swatch) -> Self {
        Self {
            label: label.into(),
            swatch,
        }
    }
}

const LEGEND_ROW: i32 = 28;
const LEGEND_PAD: i32 = 12;
const SWATCH_W: i32 = 34;
/// Widest legend text: the legend column is sized from its longest label up to this, so
/// labels such as `demand.growth_per_month=0.05` are shown whole.
const LEGEND_TEXT_MAX: u32 = 420;
/// Horizontal gap between the legend box and the figure's edges.
const LEGEND_GAP: i32 = 12;

/// Width of the right-hand column needed for `entries` (0 when empty).
pub(crate) fn legend_column_width<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
) -> Result<u32, ChartError> {
    if entries.is_empty() {
        return Ok(0);
    }
    let style = font(LEGEND_SIZE);
    let mut text_w = 0;
    for e in entries {
        let t = fit_text(root, &e.label, &style, LEGEND_TEXT_MAX)?;
        text_w = text_w.max(text_width(root, &t, &style)?);
    }
    Ok(text_w + (2 * LEGEND_PAD + SWATCH_W + 8 + 2 * LEGEND_GAP) as u32)
}

/// Draws a boxed legend whose top-left corner is at `(x, y)` (absolute pixels on
/// `root`), sized for a column of `column_w` pixels from `x - LEGEND_GAP`.
pub(crate) fn draw_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
    column_x: i32,
    column_w: u32,
    y: i32,
) -> Result<(), ChartError> {
    if entries.is_empty() {
        return Ok(());
    }
    let style = font(LEGEND_SIZE);
    let x0 = column_x + LEGEND_GAP;
    let x1 = column_x + column_w as i32 - LEGEND_GAP;
    let y1 = y + 2 * LEGEND_PAD + LEGEND_ROW * entries.len() as i32 - 6;
    root.draw(&Rectangle::new([(x0, y), (x1, y1)], WHITE.filled()))
        .map_err(de)?;
    root.draw(&Rectangle::new([(x0, y), (x1, y1)], AXIS.stroke_width(1)))
        .map_err(de)?;
    for (i, e) in entries.iter().enumerate() {
        let cy = y + LEGEND_PAD + LEGEND_ROW * i as i32 + LEGEND_ROW / 2 - 3;
        let sx = x0 + LEGEND_PAD;
        draw_swatch(root, e.swatch, sx, cy)?;
        let label = fit_text(root, &e.label, &style, LEGEND_TEXT_MAX)?;
        root.draw(&Text::new(
            label,
            (sx + SWATCH_W + 8, cy),
            anchored(style.clone(), HPos::Left, VPos::Center),
        ))
        .map_err(de)?;
    }
    Ok(())
}

fn draw_swatch<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    swatch: Swatch,
    sx: i32,
    cy: i32,
) -> Result<(), ChartError> {
    let ex = sx + SWATCH_W;
    match swatch {
        Swatch::Fill(c) => root
            .draw(&Rectangle::new(
                [(sx + 4, cy - 8), (ex - 4, cy + 8)],
                c.filled(),
            ))
            .map_err(de),
        Swatch::Line(c) => root
            .draw(&PathElement::new(
                vec![(sx, cy), (ex, cy)],
                c.stroke_width(3),
            ))
            .map_err(de),
        Swatch::Band(c) => {
            root.draw(&Rectangle::new(
                [(sx, cy - 9), (ex, cy + 9)],
                c.mix(BAND_ALPHA).filled(),
            ))
            .map_err(de)?;
            root.draw(&PathElement::new(
                vec![(sx, cy), (ex, cy)],
                c.stroke_width(3),
            ))
            .map_err(de)
        }
        Swatch::Dashed(c) => root
            .draw(&DashedPathElement::new(
                vec![(sx, cy), (ex, cy)],
                7,
                4,
                c.stroke_width(3),
            ))
            .map_err(de),
        Swatch::Dot(c) => root
            .draw(&Circle::new((sx + SWATCH_W / 2, cy), 6, c.filled()))
            .map_err(de),
        Swatch::Text => Ok(()),
        Swatch::ErrorBar(c) => {
            let mx = sx + SWATCH_W / 2;
            let s = c.stroke_width(2);
            root.draw(&PathElement::new(vec![(mx, cy - 10), (mx, cy + 10)], s))
                .map_err(de)?;
            root.draw(&PathElement::new(
                vec![(mx - 6, cy - 10), (mx + 6, cy - 10)],
                s,
            ))
            .map_err(de)?;
            root.draw(&PathElement::new(
                vec![(mx - 6, cy + 10), (mx + 6, cy + 10)],
                s,
            ))
            .map_err(de)
        }
    }
}

/// Opacity of confidence bands.
pub(crate) const BAND_ALPHA: f64 = 0.2;

/// Min and max of the finite values, if any.
pub(crate) fn finite_range(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// `range` if it is finite and non-empty, else `0..1`.
pub(crate) fn sane((lo, hi): (f64, f64)) -> (f64, f64) {
    if lo.is_finite() && hi.is_finite() && hi > lo {
        (lo, hi)
    } else {
        (0.0, 1.0)
    }
}

/// Widens `(lo, hi)` by `frac` of its span on each side; a degenerate range
/// (empty, or too narrow to tick) is widened by 10% of its magnitude (±1 at
/// zero). Non-finite results fall back to `0..1`.
pub(crate) fn pad_range((lo, hi): (f64, f64), frac: f64) -> (f64, f64) {
    let scale = lo.abs().max(hi.abs());
    if hi - lo > 1e-9 * scale {
        let d = (hi - lo) * frac;
        sane((lo - d, hi + d))
    } else {
        let mid = lo / 2.0 + hi / 2.0;
        let d = if mid == 0.0 { 1.0 } else { mid.abs() * 0.1 };
        sane((mid - d, mid + d))
    }
}

/// Padded range for a value axis; keeps zero as the floor for non-negative data.
pub(crate) fn value_axis_range(range: Option<(f64, f64)>) -> (f64, f64) {
    let Some((lo, hi)) = range else {
        return (0.0, 1.0);
    };
    let (plo, phi) = pad_range((lo, hi), 0.05);
    if lo >= 0.0 && plo < 0.0 {
        (0.0, phi)
    } else {
        (plo, phi)
    }
}

/// Tick-label formatter for a linear axis: shows just enough decimals for the
/// ticks plotters will choose, with k/M suffixes for large values and `%` when
/// the values are fractions to be shown as percentages.
#[derive(Clone, Copy, Debug)]
pub(crate) struct NumFmt {
    percent: bool,
    decimals: usize,
    div: f64,
    suffix: &'static str,
}

impl NumFmt {
    /// Formatter for a linear axis over `lo..hi` with up to `n_ticks` labels.
    pub(crate) fn for_axis(lo: f64, hi: f64, n_ticks: usize, percent: bool) -> Self {
        let coord: RangedCoordf64 = (lo..hi).into();
        let ticks = coord.key_points(n_ticks);
        let max_abs = lo.abs().max(hi.abs());
        let (div, suffix) = if percent {
            (0.01, "")
        } else if max_abs >= 1e6 {
            (1e6, "M")
        } else if max_abs >= 1e4 {
            (1e3, "k")
        } else {
            (1.0, "")
        };
        let decimals = (0..=6)
            .find(|&d| {
                let m = 10f64.powi(d as i32);
                ticks.iter().all(|t| {
                    let x = t / div * m;
                    (x - x.round()).abs() < 1e-6 * x.abs().max(1.0)
                })
            })
            .unwrap_or(6);
        Self {
            percent,
            decimals,
            div,
            suffix,
        }
    }

    /// Formats one value.
    pub(crate) fn fmt(&self, v: f64) -> String {
        if v == 0.0 {
            return if self.percent { "0%" } else { "0" }.to_string();
        }
        let mut s = format!("{:.*}", self.decimals, v / self.div);
        if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
            s.remove(0);
        }
        s.push_str(self.suffix);
        if self.percent {
            s.push('%');
        }
        s
    }
}

/// Formats a value with about three significant digits (used for log axes and
/// free-standing value labels).
pub(crate) fn fmt_sig(v: f64) -> String {
    let a = v.abs();
    let (x, suffix) = if a >= 1e6 {
        (v / 1e6, "M")
    } else if a >= 1e4 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    let ax = x.abs();
    let decimals = if ax == 0.0 {
        0
    } else {
        (2 - ax.log10().floor() as i32).clamp(0, 6) as usize
    };
    let mut s = format!("{x:.decimals$}");
    if s.contains('.') {
        s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    if s == "-0" {
        s = "0".to_string();
    }
    s + suffix
}

/// Nice tick positions (1-2-5 per decade) for a log axis over `lo..hi`
/// (both > 0), plus minor positions for light grid lines.
pub(crate) fn log_ticks(lo: f64, hi: f64) -> (Vec<f64>, Vec<f64>) {
    let first = lo.log10().floor() as i32;
    let last = hi.log10().ceil() as i32;
    let in_range = |v: &f64| *v >= lo * (1.0 - 1e-9) && *v <= hi * (1.0 + 1e-9);
    let pick = |mults: &[f64]| -> Vec<f64> {
        (first..=last)
            .flat_map(|e| mults.iter().map(move |m| m * 10f64.powi(e)))
            .filter(in_range)
            .collect()
    };
    let mut major = pick(&[1.0, 2.0, 5.0]);
    if major.len() > 12 {
        major = pick(&[1.0]);
    } else if major.len() < 4 {
        major = pick(&[1.0, 1.5, 2.0, 3.0, 5.0, 7.0]);
    }
    let minor = pick(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]);
    (major, minor)
}

/// Padded range for a log axis over positive values.
pub(crate) fn log_axis_range(range: Option<(f64, f64)>) -> (f64, f64) {
    let (lo, hi) = match range {
        None => (1.0, 10.0),
        Some((lo, hi)) if hi > lo * (1.0 + 1e-9) => {
            let f = (hi / lo).powf(0.03);
            (lo / f, hi * f)
        }
        Some((lo, _)) => (lo / 2.0, lo * 2.0),
    };
    if lo > 0.0 && hi.is_finite() && hi > lo {
        (lo, hi)
    } else {
        (1.0, 10.0)
    }
}

/// A 1-D axis with explicit tick positions: `bold` ones get labels and grid
/// lines, `light` ones only light grid lines.
pub(crate) struct Axis<R> {
    inner: R,
    bold: Vec<f64>,
    light: Vec<f64>,
}

impl Axis<RangedCoordf64> {
    /// Linear axis over `lo..hi` with plotters' own tick choice and light grid
    /// lines half-way between ticks.
    pub(crate) fn linear(lo: f64, hi: f64) -> Self {
        let inner: RangedCoordf64 = (lo..hi).into();
        let bold = inner.key_points(Y_TICKS);
        let light = match bold.as_slice() {
            [a, b, ..] => {
                let half = (b - a) / 2.0;
                let mut v = a - half;
                let mut out = Vec::new();
                while v <= hi {
                    if v >= lo {
                        out.push(v);
                    }
                    v += 2.0 * half;
                }
                out
            }
            _ => Vec::new(),
        };
        Self { inner, bold, light }
    }

    /// Linear axis over `lo..hi` with the given labelled ticks and no light lines.
    pub(crate) fn with_ticks(lo: f64, hi: f64, ticks: Vec<f64>) -> Self {
        Self {
            inner: (lo..hi).into(),
            bold: ticks,
            light: Vec::new(),
        }
    }

    /// Axis over `0..n` for `n` categories, one tick at each slot centre.
    pub(crate) fn categorical(n: usize) -> Self {
        Self::with_ticks(0.0, n as f64, (0..n).map(|i| i as f64 + 0.5).collect())
    }
}

impl Axis<LogCoord<f64>> {
    /// Logarithmic axis over `lo..hi` (both > 0) with 1-2-5 ticks.
    pub(crate) fn log(lo: f64, hi: f64) -> Self {
        let (bold, light) = log_ticks(lo, hi);
        Self {
            inner: (lo..hi).log_scale().into(),
            bold,
            light,
        }
    }
}

impl<R> Axis<R> {
    /// The labelled tick positions.
    pub(crate) fn ticks(&self) -> &[f64] {
        &self.bold
    }
}

impl<R: Ranged<ValueType = f64>> Ranged for Axis<R> {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            self.light.clone()
        } else {
            self.bold.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.inner.range()
    }

    fn axis_pixel_range(&self, limit: (i32, i32)) -> std::ops::Range<i32> {
        self.inner.axis_pixel_range(limit)
    }
}

/// Width of a y label area holding tick labels `labels` and a rotated axis
/// description.
pub(crate) fn y_area_width<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    labels: impl IntoIterator<Item = String>,
) -> Result<u32, ChartError> {
    let style = tick_style();
    let mut w = 0;
    for l in labels {
        w = w.max(text_width(root, &l, &style)?);
    }
    Ok(w + 46)
}

/// Mesh (grid + tick labels) styling shared by the x/y charts.
pub(crate) fn tick_style() -> TextStyle<'static> {
    font(TICK_SIZE).color(&TEXT)
}

pub(crate) fn desc_style() -> TextStyle<'static> {
    font(DESC_SIZE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn num_fmt_percent_and_suffixes() {
        let f = NumFmt::for_axis(0.0, 1.0, Y_TICKS, true);
        assert_eq!(f.fmt(0.5), "50%");
        let f = NumFmt::for_axis(0.9, 1.0, Y_TICKS, true);
        assert_eq!(f.fmt(0.95), "95%");
        let f = NumFmt::for_axis(0.0, 250_000.0, Y_TICKS, false);
        assert_eq!(f.fmt(50_000.0), "50k");
        let f = NumFmt::for_axis(0.0, 1.0, Y_TICKS, false);
        assert_eq!(f.fmt(0.2), "0.2");
        assert_eq!(f.fmt(-0.0), "0");
        assert_eq!(f.fmt(-0.00001), "0.0");
    }

    #[test]
    fn sig_and_ranges() {
        assert_eq!(fmt_sig(0.05), "0.05");
        assert_eq!(fmt_sig(2.5), "2.5");
        assert_eq!(fmt_sig(120.0), "120");
        assert_eq!(fmt_sig(25_000.0), "25k");
        assert_eq!(pad_range((3.0, 3.0), 0.05), (2.7, 3.3));
        assert_eq!(pad_range((0.0, 0.0), 0.05), (-1.0, 1.0));
        let (lo, hi) = pad_range((1.0, 1.0 + 1e-12), 0.0);
        assert!((lo - 0.9).abs() < 1e-9 && (hi - 1.1).abs() < 1e-9);
        assert_eq!(pad_range((f64::MAX, f64::MAX), 0.0), (0.0, 1.0));
        assert_eq!(log_axis_range(Some((4.0, 4.0))), (2.0, 8.0));
        assert_eq!(finite_range([f64::NAN, 2.0, -1.0]), Some((-1.0, 2.0)));
        assert_eq!(finite_range([f64::NAN]), None);
        let (major, _) = log_ticks(0.2, 30.0);
        assert_eq!(major, vec![0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0]);
    }
}
