//! Inlining our chart SVG into the page: strip the prolog, rewrite the root tag with a class,
//! a viewBox and an accessible name, re-escaping every attribute value.

use super::escape;
use std::fmt::Write as _;

/// Turns a standalone SVG document into markup that can sit inside HTML: drops the prolog
/// (XML declaration, doctype, comments), anything after the root element, and rewrites the
/// root tag to carry `class="chart"`, a `viewBox` (without one, CSS `height: auto` cannot keep
/// the aspect ratio) and an accessible name. `None` when there is no complete `<svg>` element.
pub(super) fn inline_svg(svg: &str, title: &str) -> Option<String> {
    let body = skip_prolog(svg);
    let start = find_svg_open(body)?;
    let body = &body[start..];
    let open_end = tag_end(body)?;
    let open = &body[..=open_end];
    let self_closing = open.ends_with("/>");
    let rest = if self_closing {
        ""
    } else {
        let close = body.rfind("</svg>")?;
        if close < open_end {
            return None;
        }
        &body[open_end + 1..close + "</svg>".len()]
    };
    let inner = open
        .strip_prefix("<svg")?
        .trim_end_matches('>')
        .trim_end_matches('/');
    let mut attrs = parse_attrs(inner);

    match attrs
        .iter_mut()
        .find(|(n, _)| n.eq_ignore_ascii_case("class"))
    {
        Some((_, v)) => {
            let old = v.take().unwrap_or_default();
            *v = Some(format!("chart {old}").trim().to_string());
        }
        None => attrs.push(("class".to_string(), Some("chart".to_string()))),
    }
    let has = |attrs: &[(String, Option<String>)], name: &str| {
        attrs.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
    };
    if !has(&attrs, "viewBox") {
        let dim = |name: &str| {
            attrs
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .and_then(|(_, v)| v.as_deref())
                .and_then(pixels)
        };
        if let (Some(w), Some(ht)) = (dim("width"), dim("height")) {
            attrs.push(("viewBox".to_string(), Some(format!("0 0 {w} {ht}"))));
        }
    }
    if !has(&attrs, "role") {
        attrs.push(("role".to_string(), Some("img".to_string())));
    }
    if !has(&attrs, "aria-label") && !title.trim().is_empty() {
        // Escaped here, not below: values are kept in source form (entities and all), and
        // serialising them only guards against a stray quote.
        attrs.push(("aria-label".to_string(), Some(escape(title))));
    }

    let mut out = String::with_capacity(svg.len() + 128);
    out.push_str("<svg");
    for (name, value) in &attrs {
        out.push(' ');
        out.push_str(name);
        if let Some(v) = value {
            let _ = write!(out, "=\"{}\"", escape_attr(v));
        }
    }
    out.push_str(if self_closing { "/>" } else { ">" });
    out.push_str(rest);
    Some(out)
}

/// Skips whitespace, a byte-order mark, `<?...?>`, `<!--...-->` and `<!DOCTYPE ...>` (with an
/// internal subset) at the start of an SVG file.
fn skip_prolog(mut s: &str) -> &str {
    loop {
        s = s.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        if let Some(r) = s.strip_prefix("<?") {
            match r.find("?>") {
                Some(i) => s = &r[i + 2..],
                None => return "",
            }
        } else if let Some(r) = s.strip_prefix("<!--") {
            match r.find("-->") {
                Some(i) => s = &r[i + 3..],
                None => return "",
            }
        } else if s.len() >= 9 && s[..9].eq_ignore_ascii_case("<!DOCTYPE") {
            let mut depth = 0i32;
            let mut end = None;
            for (i, c) in s.char_indices() {
                match c {
                    '[' => depth += 1,
                    ']' => depth -= 1,
                    '>' if depth <= 0 => {
                        end = Some(i);
                        break;
                    }
                    _ => {}
                }
            }
            match end {
                Some(i) => s = &s[i + 1..],
                None => return "",
            }
        } else {
            return s;
        }
    }
}

/// Byte offset of the root `<svg` tag (not `<svgfoo`), normally 0 after the prolog.
fn find_svg_open(s: &str) -> Option<usize> {
    s.match_indices("<svg").map(|(i, _)| i).find(|&i| {
        s[i + 4..]
            .chars()
            .next()
            .is_some_and(|c| c.is_whitespace() || c == '>' || c == '/')
    })
}

/// Byte offset of the `>` closing the tag that starts `s`, ignoring `>` inside quoted values.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// Attributes of a start tag, in order; values are kept exactly as written (entity
/// references included), which is why they are re-serialised with [`escape_attr`].
fn parse_attrs(s: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut rest = s.trim_start();
    while !rest.is_empty() {
        let name_len = rest
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(rest.len());
        let name = &rest[..name_len];
        rest = rest[name_len..].trim_start();
        let value = if let Some(r) = rest.strip_prefix('=') {
            let r = r.trim_start();
            let (value, after) = match r.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &r[1..];
                    let end = body.find(q).unwrap_or(body.len());
                    (&body[..end], body.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = r.find(char::is_whitespace).unwrap_or(r.len());
                    (&r[..end], &r[end..])
                }
            };
            rest = after.trim_start();
            Some(value.to_string())
        } else {
            None
        };
        if name.is_empty() {
            // A stray '=' or quote: skip one character rather than loop forever.
            rest = rest.get(1..).unwrap_or("").trim_start();
            continue;
        }
        out.push((name.to_string(), value));
    }
    out
}

/// Quotes an attribute value that may already contain entity references: only what would end
/// the value or start a tag is escaped, so `&amp;` in the original stays `&amp;`.
fn escape_attr(v: &str) -> String {
    v.replace('"', "&quot;").replace('<', "&lt;")
}

/// "1200", "1200px" or "1200.5" as a number for a viewBox; percentages and other units give
/// `None` because they say nothing about the aspect ratio.
fn pixels(v: &str) -> Option<String> {
    let t = v.trim();
    let t = t.strip_suffix("px").unwrap_or(t).trim();
    let n: f64 = t.parse().ok()?;
    (n.is_finite() && n > 0.0).then(|| t.to_string())
}
