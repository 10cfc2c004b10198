//! Charts as SVG: drawn as vectors in the report's PDF (shapes and outlined labels, sharp at
//! any zoom), never as pictures.

use std::fmt::Write;

const WIDTH: f64 = 480.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 30.0;
const BOTTOM: f64 = 36.0;
const INK: &str = "#2b2d42";
const GRID: &str = "#d9dce3";

/// `text` safe inside SVG.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `value` with a thin space between thousands (`12 000`), as French writes numbers.
pub fn grouped(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(digit);
    }
    out
}

/// A round top for an axis holding `max`: 1, 2 or 5 times a power of ten.
fn axis_top(max: u64) -> u64 {
    let mut step = 1;
    loop {
        for factor in [1, 2, 5] {
            if step * factor >= max.max(1) {
                return step * factor;
            }
        }
        step *= 10;
    }
}

fn frame(title: &str, top: u64, out: &mut String) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}">"#
    );
    let _ = write!(
        out,
        r#"<text x="{LEFT}" y="18" font-size="13" font-weight="bold" fill="{INK}">{}</text>"#,
        escaped(title)
    );
    let plot = HEIGHT - TOP - BOTTOM;
    for tick in 0..=4u32 {
        let y = TOP + plot - plot * f64::from(tick) / 4.0;
        let value = top * u64::from(tick) / 4;
        let _ = write!(
            out,
            r#"<line x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="{GRID}" stroke-width="0.8"/>"#,
            WIDTH - RIGHT
        );
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" font-size="9" text-anchor="end" fill="{INK}">{}</text>"#,
            LEFT - 6.0,
            y + 3.0,
            grouped(value)
        );
    }
}

/// Vertical bars, one per `(label, value)`, each with its value above it.
pub fn bars(title: &str, bars: &[(&str, u64)], color: &str) -> String {
    let top = axis_top(bars.iter().map(|(_, v)| *v).max().unwrap_or(0));
    let mut out = String::new();
    frame(title, top, &mut out);
    let plot = HEIGHT - TOP - BOTTOM;
    let slot = (WIDTH - LEFT - RIGHT) / bars.len().max(1) as f64;
    for (i, (label, value)) in bars.iter().enumerate() {
        let height = plot * (*value as f64) / (top as f64);
        let x = LEFT + slot * i as f64 + slot * 0.2;
        let y = TOP + plot - height;
        let _ = write!(
            out,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="{height:.1}" fill="{color}"/>"#,
            slot * 0.6
        );
        let middle = x + slot * 0.3;
        let _ = write!(
            out,
            r#"<text x="{middle:.1}" y="{:.1}" font-size="10" text-anchor="middle" fill="{INK}">{}</text>"#,
            y - 4.0,
            grouped(*value)
        );
        let _ = write!(
            out,
            r#"<text x="{middle:.1}" y="{:.1}" font-size="10" text-anchor="middle" fill="{INK}">{}</text>"#,
            HEIGHT - BOTTOM + 16.0,
            escaped(label)
        );
    }
    out.push_str("</svg>");
    out
}

/// A line through `(label, value)` points, left to right, each point marked.
pub fn line(title: &str, points: &[(String, u64)], color: &str) -> String {
    let top = axis_top(points.iter().map(|(_, v)| *v).max().unwrap_or(0));
    let mut out = String::new();
    frame(title, top, &mut out);
    let plot = HEIGHT - TOP - BOTTOM;
    let step = (WIDTH - LEFT - RIGHT) / points.len().max(1) as f64;
    let place = |i: usize, value: u64| {
        let x = LEFT + step * (i as f64 + 0.5);
        let y = TOP + plot - plot * (value as f64) / (top as f64);
        (x, y)
    };
    let path: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, (_, v))| {
            let (x, y) = place(i, *v);
            format!("{x:.1},{y:.1}")
        })
        .collect();
    let _ = write!(
        out,
        r#"<polyline points="{}" fill="none" stroke="{color}" stroke-width="2"/>"#,
        path.join(" ")
    );
    for (i, (label, value)) in points.iter().enumerate() {
        let (x, y) = place(i, *value);
        let _ = write!(
            out,
            r#"<circle cx="{x:.1}" cy="{y:.1}" r="3" fill="{color}"/>"#
        );
        let _ = write!(
            out,
            r#"<text x="{x:.1}" y="{:.1}" font-size="10" text-anchor="middle" fill="{INK}">{}</text>"#,
            HEIGHT - BOTTOM + 16.0,
            escaped(label)
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_end_on_round_numbers() {
        assert_eq!(axis_top(0), 1);
        assert_eq!(axis_top(3), 5);
        assert_eq!(axis_top(150), 200);
        assert_eq!(axis_top(157_000), 200_000);
    }

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(grouped(157_000), "157\u{202f}000");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000_000), "1\u{202f}000\u{202f}000");
    }

    #[test]
    fn labels_cannot_break_the_svg() {
        let svg = bars("A <b> & \"c\"", &[("x<y", 2)], "#000");
        assert!(svg.contains("A &lt;b&gt; &amp; &quot;c&quot;"));
        assert!(svg.contains(">x&lt;y<"));
    }
}
