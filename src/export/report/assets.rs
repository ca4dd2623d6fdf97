//! The page's only assets, both inline: a stylesheet and a few lines of script.

/// Neutral, print-friendly styling. Only local fonts: a web font would be a network fetch.
pub(super) const CSS: &str = r#"
:root {
  --ink: #1f2328; --muted: #59636e; --line: #d8dee4; --paper: #ffffff; --panel: #f6f8fa;
  --meets-bg: #dafbe1; --meets-ink: #116329; --misses-bg: #ffebe9; --misses-ink: #a40e26;
  --border-bg: #fff1c2; --border-ink: #7a4e00;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--paper); color: var(--ink);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "Noto Sans", "Liberation Sans", sans-serif;
  font-size: 15px; line-height: 1.5;
}
main { max-width: 1120px; margin: 0 auto; padding: 32px 24px 48px; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 6px; }
h2 {
  font-size: 1.15rem; margin: 36px 0 12px; padding-bottom: 4px;
  border-bottom: 1px solid var(--line);
}
.page-header { border-bottom: 3px solid var(--ink); padding-bottom: 14px; }
.subtitle { font-size: 1.05rem; margin: 0 0 6px; }
.provenance { color: var(--muted); font-size: 0.85rem; margin: 0; }
.warnings {
  margin: 24px 0 0; padding: 12px 16px; border: 1px solid #d4a72c;
  border-left: 6px solid #bf8700; background: #fff8c5; border-radius: 6px;
}
.warnings h2 { margin: 0 0 4px; border: 0; padding: 0; font-size: 1rem; }
.warnings ul { margin: 0; padding-left: 20px; }
.kpi-grid {
  display: grid; gap: 12px; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr));
}
.kpi {
  border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; background: var(--panel);
  break-inside: avoid;
}
.kpi-label { color: var(--muted); font-size: 0.85rem; }
.kpi-value {
  font-size: 1.75rem; font-weight: 650; line-height: 1.25; font-variant-numeric: tabular-nums;
}
.kpi-ci { font-size: 0.85rem; font-variant-numeric: tabular-nums; }
.kpi-note { color: var(--muted); font-size: 0.8rem; margin-top: 4px; }
dl {
  display: grid; grid-template-columns: minmax(140px, max-content) 1fr; gap: 4px 20px; margin: 0;
}
dt { font-weight: 600; }
dd { margin: 0; overflow-wrap: anywhere; }
.table-wrap { overflow-x: auto; margin: 0 0 24px; }
table {
  border-collapse: collapse; width: 100%; font-size: 0.9rem; font-variant-numeric: tabular-nums;
}
caption { text-align: left; font-weight: 600; padding: 0 0 6px; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left; }
th.num { text-align: right; }
th { background: var(--panel); border-bottom: 2px solid var(--line); white-space: nowrap; }
td.num { text-align: right; white-space: nowrap; }
td.num.pair { white-space: normal; }
td.pair .v, td.pair .ci { white-space: nowrap; }
td.pair .ci { color: var(--muted); }
tbody tr:nth-child(even) td { background: #fbfcfd; }
.badge {
  display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 0.8rem;
  font-weight: 600; white-space: nowrap; border: 1px solid transparent;
}
.badge.meets { background: var(--meets-bg); color: var(--meets-ink); border-color: #aceebb; }
.badge.misses { background: var(--misses-bg); color: var(--misses-ink); border-color: #ffcecb; }
.badge.borderline {
  background: var(--border-bg); color: var(--border-ink); border-color: #f5d76e;
}
.badge.other { background: var(--panel); color: var(--muted); border-color: var(--line); }
.badge.meets::before { content: "\2713\00a0"; }
.badge.misses::before { content: "\2717\00a0"; }
.badge.borderline::before { content: "\2248\00a0"; }
figure {
  margin: 0 0 28px; padding: 12px; border: 1px solid var(--line); border-radius: 8px;
  break-inside: avoid;
}
svg.chart { display: block; width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 0.88rem; margin-top: 8px; }
figcaption strong { color: var(--ink); }
.fig-number { font-weight: 600; }
.chart-missing { color: var(--misses-ink); }
@media (max-width: 600px) {
  main { padding: 20px 14px 32px; }
  .kpi-grid { grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 8px; }
  .kpi { padding: 10px; }
  .kpi-value { font-size: 1.35rem; }
  dl { grid-template-columns: 1fr; }
  dd { margin-bottom: 6px; }
}
@media print {
  @page { margin: 14mm; }
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h2, caption { break-after: avoid; }
  .table-wrap { overflow: visible; }
  /* A table that fits on a page moves whole to the next one rather than leaving its
     heading behind; a longer one still breaks between rows, with the header repeated. */
  table, tr, .kpi, figure { break-inside: avoid; }
  .kpi-grid { grid-template-columns: repeat(auto-fill, minmax(125px, 1fr)); gap: 8px; }
  .kpi { padding: 8px 10px; }
  .kpi-value { font-size: 1.4rem; }
  .kpi-label, .kpi-ci, .kpi-note { font-size: 7.5pt; }
  figure { border: 0; padding: 0; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

/// Records chart sizes and script errors as attributes on `<body>`, where a headless browser's
/// `--dump-dom` can read them: it prints the DOM, not the console.
pub(super) const SCRIPT: &str = r#"
(function () {
  var errors = 0;
  window.onerror = function () {
    errors += 1;
    (document.body || document.documentElement).setAttribute('data-errors', String(errors));
    return false;
  };
  window.addEventListener('load', function () {
    var sizes = [];
    document.querySelectorAll('svg.chart').forEach(function (svg) {
      var r = svg.getBoundingClientRect();
      sizes.push(Math.round(r.width) + 'x' + Math.round(r.height));
    });
    document.body.setAttribute('data-charts', String(sizes.length));
    document.body.setAttribute('data-chart-sizes', sizes.join(','));
    // Elements wider than their container (a table cut off in its scroll box, a chart or
    // card spilling out of the page): the browser check requires none at 1,280 px.
    var over = [];
    document.querySelectorAll('main *').forEach(function (el) {
      var parent = el.parentElement;
      if (!parent) { return; }
      var r = el.getBoundingClientRect(), p = parent.getBoundingClientRect();
      if (r.width > 0 && (r.right > p.right + 1 || r.width > p.width + 1)) {
        over.push(el.tagName.toLowerCase() + (el.className && el.className.baseVal === undefined ? '.' + el.className : ''));
      }
    });
    document.body.setAttribute('data-overflows', String(over.length));
    document.body.setAttribute('data-overflow-list', over.slice(0, 20).join(' '));
  });
})();
"#;
