//! Report rendering: escaping, structure, offline-ness, SVG inlining and the script's size.

use super::*;

const PLOTTERS_SVG: &str = "<svg width=\"1200\" height=\"700\" viewBox=\"0 0 1200 700\" \
    xmlns=\"http://www.w3.org/2000/svg\">\n<rect x=\"0\" y=\"0\" width=\"1200\" \
    height=\"700\" fill=\"#FFFFFF\"/>\n</svg>\n";

fn empty() -> ReportInput {
    ReportInput {
        title: String::new(),
        subtitle: String::new(),
        generated_by: String::new(),
        assumptions: Vec::new(),
        kpis: Vec::new(),
        tables: Vec::new(),
        charts: Vec::new(),
        warnings: Vec::new(),
    }
}

fn chart(title: &str, svg: &str) -> HtmlChart {
    HtmlChart {
        title: title.to_string(),
        caption: "Mean with 95% CI".to_string(),
        svg: svg.to_string(),
    }
}

fn full() -> ReportInput {
    ReportInput {
        title: "mmc <baseline>".to_string(),
        subtitle: "M/M/c & friends".to_string(),
        generated_by: "supportsim 0.1.0, seed 7".to_string(),
        assumptions: vec![("model".to_string(), "tiered".to_string())],
        kpis: vec![Kpi {
            label: "P1 first response".to_string(),
            value: "92.4%".to_string(),
            ci: "95% CI 91.8–93.0%".to_string(),
            note: "goal 90%".to_string(),
        }],
        tables: vec![HtmlTable {
            title: "SLA attainment".to_string(),
            header: vec!["Target".into(), "Attainment".into(), "Status".into()],
            rows: vec![
                vec!["P1 FR 1h".into(), "92.4%".into(), "meets".into()],
                vec!["P2 FR 4h".into(), "71.0%".into(), "misses".into()],
                vec!["P3 FR 8h".into(), "89.8%".into(), String::new()],
                vec!["P4 FR 24h".into(), "99.0%".into(), "n/a".into()],
            ],
            status: vec![
                "meets".into(),
                "misses".into(),
                "borderline".into(),
                String::new(),
            ],
        }],
        charts: vec![
            chart(
                "Backlog",
                &format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{PLOTTERS_SVG}"),
            ),
            chart("SLA", PLOTTERS_SVG),
        ],
        warnings: vec!["only 4 replications: intervals are wide".to_string()],
    }
}

#[test]
fn escape_neutralises_markup_ampersands_and_quotes() {
    assert_eq!(
        escape("<script>alert('x')</script>"),
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
    );
    assert_eq!(escape("R&D \"tier\""), "R&amp;D &quot;tier&quot;");
    assert_eq!(escape("&amp;"), "&amp;amp;");
}

#[test]
fn every_text_field_is_escaped() {
    let mut input = full();
    let evil = "<script>x</script>";
    input.subtitle = evil.to_string();
    input.generated_by = evil.to_string();
    input.assumptions = vec![(evil.to_string(), evil.to_string())];
    input.kpis[0].label = evil.to_string();
    input.kpis[0].value = evil.to_string();
    input.kpis[0].ci = evil.to_string();
    input.kpis[0].note = evil.to_string();
    input.tables[0].title = evil.to_string();
    input.tables[0].header[0] = evil.to_string();
    input.tables[0].rows[0][0] = evil.to_string();
    input.tables[0].rows[0][2] = evil.to_string();
    input.charts[0].title = evil.to_string();
    input.charts[0].caption = evil.to_string();
    input.warnings = vec![evil.to_string()];
    let html = render(&input);
    assert!(!html.contains(evil), "unescaped text in:\n{html}");
    // At least once per field set above (the chart title also goes into aria-label).
    assert!(html.matches("&lt;script&gt;x&lt;/script&gt;").count() >= 15);
    // The only script element is the report's own.
    assert_eq!(html.matches("<script>").count(), 1);
}

#[test]
fn xml_declaration_and_doctype_are_stripped() {
    let mut input = empty();
    input.charts = vec![chart(
        "a",
        &format!(
            "\u{feff}<?xml version=\"1.0\" standalone=\"no\"?>\n<!-- by plotters -->\n\
             <!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" [ <!ENTITY x \"y\"> ]>\n\
             {PLOTTERS_SVG}"
        ),
    )];
    let html = render(&input);
    assert!(!html.contains("<?xml"));
    assert!(!html.contains("DOCTYPE svg"));
    assert!(!html.contains("by plotters"));
    assert_eq!(html.matches("<!DOCTYPE").count(), 1, "only the page's own");
    assert!(html.contains("<svg width=\"1200\""));
}

#[test]
fn no_external_urls_except_the_svg_namespace() {
    let html = render(&full());
    assert!(html.contains("xmlns=\"http://www.w3.org/2000/svg\""));
    let stripped = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    assert!(!stripped.contains("http://"), "{stripped}");
    assert!(!stripped.contains("https://"), "{stripped}");
    assert!(!stripped.contains("url("), "no CSS fetches either");
    assert!(!stripped.contains("@import"));
    assert!(!stripped.contains(" src="));
}

#[test]
fn every_chart_is_inlined_once_with_class_and_viewbox() {
    let input = full();
    let html = render(&input);
    assert_eq!(html.matches("<svg ").count(), input.charts.len());
    assert_eq!(html.matches("</svg>").count(), input.charts.len());
    assert_eq!(html.matches("class=\"chart\"").count(), input.charts.len());
    assert_eq!(html.matches("<figure>").count(), input.charts.len());
    assert_eq!(html.matches("<figcaption>").count(), input.charts.len());
    assert_eq!(html.matches("viewBox=\"0 0 1200 700\"").count(), 2);
    assert!(html.contains("aria-label=\"Backlog\""));
    assert!(html.contains("Figure 2."));
}

#[test]
fn viewbox_is_added_when_plotters_gives_only_width_and_height() {
    let svg = "<svg width=\"640px\" height='480' class=\"plot\" \
               xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>";
    let out = inline_svg(svg, "t&t").unwrap();
    assert!(out.contains("viewBox=\"0 0 640 480\""), "{out}");
    assert!(out.contains("class=\"chart plot\""), "{out}");
    assert!(out.contains("aria-label=\"t&amp;t\""), "{out}");
    assert!(out.ends_with("<rect/></svg>"), "{out}");
    // Not guessable from percentages: left alone rather than made up.
    let out = inline_svg("<svg width=\"100%\" height=\"100%\"></svg>", "").unwrap();
    assert!(!out.contains("viewBox"), "{out}");
    // An existing viewBox, whatever its case, is kept and not duplicated.
    let out = inline_svg("<svg viewbox=\"0 0 2 1\" width=\"9\" height=\"9\"/>", "").unwrap();
    assert_eq!(
        out.matches("iewbox").count() + out.matches("iewBox").count(),
        1
    );
}

#[test]
fn broken_svg_is_not_inlined() {
    let mut input = empty();
    input.charts = vec![chart("x", "not an svg"), chart("y", "<svg width=\"1\">")];
    let html = render(&input);
    assert!(!html.contains("<svg"));
    assert_eq!(html.matches("could not be embedded").count(), 2);
    assert_eq!(html.matches("<figure>").count(), 2);
}

#[test]
fn status_badges_are_present_and_coloured_by_status() {
    let html = render(&full());
    assert!(
        html.contains("<span class=\"badge meets\">meets</span>"),
        "{html}"
    );
    assert!(html.contains("<span class=\"badge misses\">misses</span>"));
    // Empty last cell: the status word itself is shown.
    assert!(html.contains("<span class=\"badge borderline\">borderline</span>"));
    // No status: the cell is plain text.
    assert!(html.contains("<td>n/a</td>"));
    assert_eq!(html.matches("<span class=\"badge").count(), 3);
    assert!(CSS.contains(".badge.meets") && CSS.contains(".badge.misses"));
    assert!(CSS.contains(".badge.borderline"));
}

#[test]
fn numeric_columns_are_right_aligned_heading_included() {
    let mut input = empty();
    input.tables = vec![HtmlTable {
        title: String::new(),
        header: vec!["Pool".into(), "Utilisation".into(), "Note".into()],
        rows: vec![
            vec!["l1".into(), "78.4%".into(), "busy".into()],
            vec!["l2".into(), "n/a".into(), "12 agents".into()],
        ],
        status: Vec::new(),
    }];
    let html = render(&input);
    assert!(html.contains("<th scope=\"col\" class=\"num\">Utilisation</th>"));
    assert!(html.contains("<td class=\"num\">78.4%</td>"));
    assert!(html.contains("<th scope=\"col\">Note</th>"), "mixed column");
    assert!(html.contains("<td>12 agents</td>"));
}

#[test]
fn unknown_status_gets_a_neutral_badge_and_no_injected_class() {
    let mut input = empty();
    input.tables = vec![HtmlTable {
        title: String::new(),
        header: Vec::new(),
        rows: vec![vec!["a".into()], vec!["b".into(), "c".into()]],
        status: vec!["\"><b>".into()],
    }];
    let html = render(&input);
    assert!(!html.contains("<b>"));
    // The short row is padded to the widest row; the badge sits in the last column.
    assert!(
        html.contains(
            "<tr><td>a</td><td><span class=\"badge other\">&quot;&gt;&lt;b&gt;</span></td></tr>"
        ),
        "{html}"
    );
}

#[test]
fn empty_input_renders_a_valid_page() {
    let html = render(&empty());
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    assert!(html.contains("<title>supportsim report</title>"));
    assert!(html.contains("<body>") && html.contains("</body>"));
    for absent in ["<figure", "<table", "class=\"kpi\"", "<dl>", "warnings\""] {
        assert!(!html.contains(absent), "{absent} in an empty report");
    }
    assert_eq!(
        html.matches("<main>").count(),
        html.matches("</main>").count()
    );
}

#[test]
fn script_reports_chart_sizes_and_errors_on_body() {
    let html = render(&empty());
    for needle in [
        "data-charts",
        "data-chart-sizes",
        "data-errors",
        "data-overflows",
        "onerror",
    ] {
        assert!(html.contains(needle), "{needle}");
    }
    // Measurement only: the page must read the same with scripts off.
    assert!(SCRIPT.lines().count() <= 45);
}

#[test]
fn a_mean_and_its_interval_may_wrap_between_them_only() {
    let mut input = empty();
    input.tables = vec![HtmlTable {
        title: String::new(),
        header: vec!["point".into(), "resolution".into()],
        rows: vec![
            vec!["a".into(), "6.0 h [3.3 h .. 8.7 h]".into()],
            vec!["b".into(), "5.1 h".into()],
        ],
        status: Vec::new(),
    }];
    let html = render(&input);
    assert!(html.contains(
        "<td class=\"num pair\"><span class=\"v\">6.0 h</span> <span class=\"ci\">[3.3 h .. 8.7 h]</span></td>"
    ));
    assert!(html.contains("<td class=\"num\">5.1 h</td>"));
    assert!(html.contains("<td>a</td>"), "text columns are left alone");
}
