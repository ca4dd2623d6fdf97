//! Report charts: pure functions from data to an SVG string and PNG bytes.
//!
//! Every chart is drawn once, generically over the plotters backend, and
//! rendered to both formats at [`WIDTH`] x [`HEIGHT`] pixels with one look:
//! white background, bold title, light grid, the Okabe-Ito colour-blind-safe
//! palette assigned to series in order of first appearance, and a boxed legend
//! in the top-right corner of the figure (outside the plot, so it never hides
//! data). Nothing here touches the file system; callers write the bytes.
//!
//! Fonts: `DejaVu Sans` is embedded and registered with plotters on first use,
//! so no system fonts or fontconfig are needed.
//!
//! Robustness: non-finite values (NaN, ±inf) are skipped; degenerate ranges
//! are padded; long names are shortened with an ellipsis. Empty input is not
//! an error: the chart is rendered with its title and a "No data" note.
//! Units belong in the caller's axis-label strings.

mod bars;
mod common;
mod heatmap;
mod lines;

pub use bars::{CiBar, StackedBar, grouped_bars_ci, stacked_bars};
pub use common::{HEIGHT, WIDTH};
pub use heatmap::{heatmap, heatmap_week};
pub use lines::{
    BandSeries, Curve, Marker, curves, lines_with_bands, lines_with_bands_dated, scatter,
    scatter_labelled,
};

/// Failure to produce a chart.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// plotters failed while drawing (e.g. a font could not be loaded).
    #[error("chart drawing failed: {0}")]
    Draw(String),
    /// The rendered bitmap could not be encoded as PNG.
    #[error("PNG encoding failed: {0}")]
    Encode(String),
}

/// A rendered chart in both formats.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// Standalone SVG document.
    pub svg: String,
    /// PNG file bytes (8-bit RGB).
    pub png: Vec<u8>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// Checks both formats and returns the number of non-white PNG pixels.
    fn check(r: &Rendered, title: &str) -> usize {
        assert!(r.svg.contains("<svg"), "not an SVG document");
        assert!(r.svg.contains(title), "SVG lacks the title {title:?}");
        assert!(r.png.starts_with(&PNG_SIGNATURE), "not a PNG");
        let img = image::load_from_memory(&r.png)
            .expect("PNG decodes")
            .to_rgb8();
        assert_eq!(img.dimensions(), (WIDTH, HEIGHT));
        img.pixels().filter(|p| p.0 != [255, 255, 255]).count()
    }

    /// A chart with real content covers well over 2% of the image.
    fn check_drawn(r: &Rendered, title: &str) {
        let inked = check(r, title);
        let total = (WIDTH * HEIGHT) as usize;
        assert!(inked > total / 50, "only {inked} non-white pixels");
    }

    fn sla_bars() -> Vec<CiBar> {
        let mut bars = Vec::new();
        for (i, p) in ["P1", "P2", "P3", "P4"].iter().enumerate() {
            for (j, s) in ["first response", "resolution"].iter().enumerate() {
                let m = 0.97 - 0.06 * i as f64 - 0.1 * j as f64;
                bars.push(CiBar {
                    category: p.to_string(),
                    series: s.to_string(),
                    mean: m,
                    ci_low: m - 0.03,
                    ci_high: (m + 0.02).min(1.0),
                    goal: Some(0.9 - 0.05 * i as f64),
                });
            }
        }
        bars
    }

    #[test]
    fn grouped_bars_render() {
        let title = "SLA attainment by priority";
        let r = grouped_bars_ci(
            title,
            "Priority",
            "Within SLA",
            &sla_bars(),
            (0.0, 1.0),
            true,
        )
        .unwrap();
        check_drawn(&r, title);
        assert!(r.svg.contains("100%"), "percent ticks expected");
    }

    #[test]
    fn grouped_bars_edge_cases() {
        let empty = grouped_bars_ci("Empty bars", "x", "y", &[], (0.0, 1.0), true).unwrap();
        assert!(check(&empty, "Empty bars") > 0);
        assert!(empty.svg.contains("No data"));

        let long = "An extremely long category name that cannot possibly fit its slot";
        let odd = vec![
            CiBar {
                category: long.into(),
                series: "only".into(),
                mean: f64::NAN,
                ci_low: f64::NAN,
                ci_high: 2.0,
                goal: Some(f64::INFINITY),
            },
            CiBar {
                category: "b".into(),
                series: "only".into(),
                mean: 5.0,
                ci_low: 7.0, // reversed CI
                ci_high: 3.0,
                goal: Some(100.0), // outside the range
            },
        ];
        // Degenerate and invalid ranges, single category.
        for range in [(1.0, 1.0), (f64::NAN, 2.0), (3.0, 1.0)] {
            let r = grouped_bars_ci("Odd bars", "x", "y", &odd, range, false).unwrap();
            check(&r, "Odd bars");
        }
        let huge = vec![CiBar {
            category: "huge".into(),
            series: "s".into(),
            mean: f64::MAX,
            ci_low: f64::MIN,
            ci_high: f64::MAX,
            goal: None,
        }];
        for range in [
            (f64::MAX, f64::MAX),
            (1.0, 1.0 + 1e-13),
            (f64::NAN, f64::NAN),
        ] {
            let r = grouped_bars_ci("Huge bars", "x", "y", &huge, range, false).unwrap();
            check(&r, "Huge bars");
        }
        let single = &sla_bars()[..1];
        let r = grouped_bars_ci("One bar", "x", "y", single, (0.5, 0.5), true).unwrap();
        check_drawn(&r, "One bar");
    }

    fn backlog() -> Vec<BandSeries> {
        ["tiered", "swarm"]
            .iter()
            .enumerate()
            .map(|(k, name)| {
                let x: Vec<f64> = (0..=168).map(f64::from).collect();
                let mean: Vec<f64> = x
                    .iter()
                    .map(|h| {
                        100.0 + 30.0 * (h / 24.0 * std::f64::consts::TAU).sin() + 10.0 * k as f64
                    })
                    .collect();
                BandSeries {
                    name: name.to_string(),
                    low: mean.iter().map(|m| m - 12.0).collect(),
                    high: mean.iter().map(|m| m + 12.0).collect(),
                    mean,
                    x,
                }
            })
            .collect()
    }

    #[test]
    fn lines_with_bands_render() {
        let title = "Backlog over time";
        let r = lines_with_bands(title, "Hour", "Open tickets", &backlog()).unwrap();
        check_drawn(&r, title);
    }

    #[test]
    fn lines_with_bands_edge_cases() {
        let r = lines_with_bands("No series", "x", "y", &[]).unwrap();
        assert!(r.svg.contains("No data"));
        check(&r, "No series");

        let nan = f64::NAN;
        let odd = vec![
            BandSeries {
                name: "all nan".into(),
                x: vec![nan, 1.0],
                mean: vec![1.0, nan],
                low: vec![],
                high: vec![nan],
            },
            BandSeries::default(),
        ];
        let r = lines_with_bands("Only NaN", "x", "y", &odd).unwrap();
        assert!(r.svg.contains("No data"));

        let gappy = vec![BandSeries {
            name: "gappy".into(),
            x: vec![3.0, 1.0, 2.0, 4.0, 5.0],
            mean: vec![1.0, nan, 1.0, 1.0, 1.0],
            low: vec![0.5, 0.5, nan, 0.5],
            high: vec![1.5, 1.5, 1.5, 1.5, 1.5],
        }];
        let r = lines_with_bands("Gappy flat line", "x", "y", &gappy).unwrap();
        check(&r, "Gappy flat line");
        let point = vec![BandSeries {
            name: "point".into(),
            x: vec![2.0],
            mean: vec![2.0],
            low: vec![1.0],
            high: vec![3.0],
        }];
        let r = lines_with_bands("Single point", "x", "y", &point).unwrap();
        check(&r, "Single point");
    }

    fn cdfs() -> Vec<Curve> {
        [("tiered", 8.0), ("swarm", 5.0)]
            .iter()
            .map(|(name, scale)| Curve {
                name: name.to_string(),
                points: (1..=200)
                    .map(|i| {
                        let p = f64::from(i) / 200.0;
                        (-scale * (1.001 - p).ln(), p)
                    })
                    .collect(),
            })
            .collect()
    }

    #[test]
    fn curves_render() {
        let markers = vec![
            Marker {
                x: 8.0,
                label: "P1 target".into(),
            },
            Marker {
                x: 24.0,
                label: "P2 target".into(),
            },
        ];
        for x_log in [false, true] {
            let title = format!("Resolution time CDF log={x_log}");
            let r = curves(&title, "Hours", "Resolved", &cdfs(), &markers, x_log, true).unwrap();
            check_drawn(&r, &title);
            assert!(r.svg.contains("P2 target"));
        }
    }

    #[test]
    fn curves_edge_cases() {
        let r = curves("No curves", "x", "y", &[], &[], true, true).unwrap();
        assert!(r.svg.contains("No data"));
        check(&r, "No curves");

        let odd = vec![
            Curve {
                name: "non-positive".into(),
                points: vec![(0.0, 0.1), (-1.0, 0.2), (f64::NAN, 0.3), (2.0, f64::NAN)],
            },
            Curve {
                name: "flat".into(),
                points: vec![(5.0, 0.5), (5.0, 0.5)],
            },
        ];
        let markers = vec![
            Marker {
                x: -3.0,
                label: "dropped on log axis".into(),
            },
            Marker {
                x: f64::NAN,
                label: "never drawn".into(),
            },
            Marker {
                x: 5.0,
                label: String::new(),
            },
        ];
        for x_log in [false, true] {
            let r = curves("Odd curves", "x", "y", &odd, &markers, x_log, false).unwrap();
            check(&r, "Odd curves");
        }
        let r = curves("Log only bad", "x", "y", &odd[..1], &[], true, true).unwrap();
        assert!(r.svg.contains("No data"));
    }

    #[test]
    fn scatter_renders_dots_and_frontier() {
        let groups = vec![
            Curve {
                name: "tiered".into(),
                points: vec![(100.0, 0.7), (120.0, 0.8), (140.0, 0.85)],
            },
            Curve {
                name: "swarm".into(),
                points: vec![(100.0, 0.75), (120.0, 0.78), (f64::NAN, 0.9)],
            },
        ];
        let front = Curve {
            name: "Pareto-optimal".into(),
            points: vec![(100.0, 0.75), (120.0, 0.8), (140.0, 0.85)],
        };
        let title = "Cost vs SLA frontier";
        let r = scatter(title, "cost", "SLA met", &groups, Some(&front), true).unwrap();
        check_drawn(&r, title);
        assert!(r.svg.contains("Pareto-optimal"));
        let r = scatter("Empty scatter", "x", "y", &[], None, false).unwrap();
        assert!(r.svg.contains("No data"));
    }

    #[test]
    fn heatmap_render() {
        let rows: Vec<String> = ["L1 generalists", "L2 specialists", "Swarm"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let values: Vec<Vec<f64>> = (0..3)
            .map(|r| {
                (0..168)
                    .map(|h| if (8..18).contains(&(h % 24)) { 0.9 } else { 0.2 } - 0.1 * f64::from(r))
                    .collect()
            })
            .collect();
        let title = "Utilisation by hour of week";
        let r = heatmap(title, "Hour of week", &rows, &values, 24).unwrap();
        check_drawn(&r, title);
        assert!(r.svg.contains("100%"));
    }

    #[test]
    fn heatmap_edge_cases() {
        let r = heatmap("No rows", "x", &[], &[], 24).unwrap();
        assert!(r.svg.contains("No data"));
        let r = heatmap("Empty rows", "x", &[], &[vec![], vec![]], 0).unwrap();
        assert!(r.svg.contains("No data"));

        let labels =
            vec!["a pool with a very very very long name indeed, far too long".to_string()];
        let values = vec![vec![f64::NAN, -0.5, 2.0], vec![0.5], vec![]];
        for every in [0, 1, 1000] {
            let r = heatmap("Ragged heatmap", "col", &labels, &values, every).unwrap();
            check_drawn(&r, "Ragged heatmap");
            assert!(r.svg.contains("no data"));
        }
        let single = vec![vec![0.3]];
        let r = heatmap("One cell", "col", &labels, &single, 1).unwrap();
        check_drawn(&r, "One cell");
    }

    #[test]
    fn stacked_bars_render() {
        let part = |n: &str, v: f64| (n.to_string(), v);
        let bars = vec![
            StackedBar {
                category: "tiered".into(),
                parts: vec![part("salaries", 182_000.0), part("overtime", 12_500.0)],
            },
            StackedBar {
                category: "swarm".into(),
                parts: vec![part("salaries", 195_000.0), part("penalties", 8_000.0)],
            },
        ];
        let title = "Weekly cost by model";
        let r = stacked_bars(title, "Cost (USD)", &bars).unwrap();
        check_drawn(&r, title);
        assert!(r.svg.contains("195k") || r.svg.contains("203k"));
    }

    #[test]
    fn stacked_bars_edge_cases() {
        let r = stacked_bars("No bars", "USD", &[]).unwrap();
        assert!(r.svg.contains("No data"));
        check(&r, "No bars");

        let bars = vec![
            StackedBar {
                category: "refunds".into(),
                parts: vec![("credit".into(), -500.0), ("fees".into(), 200.0)],
            },
            StackedBar {
                category: "broken".into(),
                parts: vec![("fees".into(), f64::NAN)],
            },
            StackedBar {
                category: "empty".into(),
                parts: vec![],
            },
        ];
        let r = stacked_bars("Odd stacks", "USD", &bars).unwrap();
        check_drawn(&r, "Odd stacks");
        let zeros = vec![StackedBar {
            category: "zero".into(),
            parts: vec![("x".into(), 0.0)],
        }];
        let r = stacked_bars("All zero", "USD", &zeros).unwrap();
        check(&r, "All zero");
    }
}
