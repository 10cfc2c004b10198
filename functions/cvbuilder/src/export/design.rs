//! The three templates' looks in print: the same design as their HTML and CSS
//! (`templates/*.css`), in what a PDF laid out by `shared/pdf` can show.

use pdf::{Align, PageSetup, Rgb, TextStyle};

/// How a skill's level is shown beside its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Levels {
    /// ★ to ★★★★, as the Creative Designer's CSS does.
    Stars,
    /// The level in words (`avancé`).
    Words,
}

/// One template's look.
#[derive(Debug, Clone)]
pub struct Design {
    pub page: PageSetup,
    pub header_align: Align,
    pub name: TextStyle,
    pub title: TextStyle,
    pub contact: TextStyle,
    /// Between the contact details.
    pub separator: &'static str,
    /// A rule under the header, in this colour and thickness (points).
    pub header_rule: Option<(Rgb, f32)>,
    pub heading: TextStyle,
    pub heading_prefix: &'static str,
    pub uppercase_headings: bool,
    /// A hairline under each heading, in this colour.
    pub heading_rule: Option<Rgb>,
    pub entry_title: TextStyle,
    pub organisation: TextStyle,
    pub when: TextStyle,
    pub body: TextStyle,
    pub levels: Levels,
    pub level_style: TextStyle,
    /// Drawn under every page (SVG the page's size): the design's colour fields.
    pub background: Option<fn(&PageSetup) -> String>,
}

/// Modern Professional: one column, blue rules, everything aligned left.
fn modern_professional() -> Design {
    let ink = Rgb(0x1f, 0x29, 0x33);
    let blue = Rgb(0x1f, 0x6f, 0xeb);
    let muted = Rgb(0x52, 0x60, 0x6d);
    Design {
        page: PageSetup::a4(1.6, 1.8),
        header_align: Align::Start,
        name: TextStyle::new(24.0, ink).bold(),
        title: TextStyle::new(13.0, blue),
        contact: TextStyle::new(9.5, muted),
        separator: "   ",
        header_rule: Some((blue, 3.0)),
        heading: TextStyle::new(12.0, blue).bold().spaced(0.9),
        heading_prefix: "",
        uppercase_headings: true,
        heading_rule: Some(Rgb(0xcb, 0xd2, 0xd9)),
        entry_title: TextStyle::new(11.0, ink).bold(),
        organisation: TextStyle::new(11.0, muted),
        when: TextStyle::new(9.0, Rgb(0x7b, 0x87, 0x94)),
        body: TextStyle::new(10.5, ink),
        levels: Levels::Words,
        level_style: TextStyle::new(9.5, Rgb(0x1f, 0x4f, 0x99)).italic(),
        background: None,
    }
}

/// Creative Designer: a coral band down the left edge, coral headings marked with a dot,
/// skills rated in stars.
fn creative_designer() -> Design {
    let ink = Rgb(0x2d, 0x2a, 0x32);
    let coral = Rgb(0xff, 0x5e, 0x62);
    Design {
        page: PageSetup::a4(2.2, 1.8),
        header_align: Align::Start,
        name: TextStyle::new(26.0, coral).bold(),
        title: TextStyle::new(12.0, Rgb(0xff, 0x7a, 0x59)).italic(),
        contact: TextStyle::new(9.0, Rgb(0x8a, 0x85, 0x90)),
        separator: "  •  ",
        header_rule: None,
        heading: TextStyle::new(13.0, coral).bold(),
        heading_prefix: "● ",
        uppercase_headings: false,
        heading_rule: None,
        entry_title: TextStyle::new(11.0, ink).bold(),
        organisation: TextStyle::new(11.0, Rgb(0xff, 0x7a, 0x59)),
        when: TextStyle::new(9.0, Rgb(0x8a, 0x85, 0x90)),
        body: TextStyle::new(10.5, ink),
        levels: Levels::Stars,
        level_style: TextStyle::new(10.0, coral),
        background: Some(coral_band),
    }
}

fn coral_band(page: &PageSetup) -> String {
    let (width, height) = (page.width, page.height);
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}"><defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#ff5e62"/><stop offset="1" stop-color="#ff9966"/></linearGradient></defs><rect x="0" y="0" width="18" height="{height}" fill="url(#g)"/><rect x="18" y="0" width="6" height="{height}" fill="#fff3ee"/></svg>"##
    )
}

/// Executive Elite: a centred serif masthead in small capitals, gold rules, restrained.
fn executive_elite() -> Design {
    let ink = Rgb(0x1b, 0x1b, 0x1b);
    let gold = Rgb(0xb0, 0x8d, 0x57);
    let brown = Rgb(0x6b, 0x5a, 0x3e);
    Design {
        page: PageSetup::a4(2.0, 2.0),
        header_align: Align::Center,
        name: TextStyle::new(26.0, ink).spaced(3.0),
        title: TextStyle::new(12.0, brown).italic(),
        contact: TextStyle::new(9.5, Rgb(0x44, 0x44, 0x44)),
        separator: " · ",
        header_rule: Some((gold, 1.5)),
        heading: TextStyle::new(12.0, brown).spaced(1.2),
        heading_prefix: "",
        uppercase_headings: true,
        heading_rule: Some(gold),
        entry_title: TextStyle::new(11.0, ink).bold(),
        organisation: TextStyle::new(11.0, ink).italic(),
        when: TextStyle::new(9.5, Rgb(0x6f, 0x6f, 0x6f)),
        body: TextStyle::new(11.0, ink),
        levels: Levels::Words,
        level_style: TextStyle::new(10.0, brown).italic(),
        background: None,
    }
}

/// The look of template `id`; an unknown one (a template since withdrawn) prints as the
/// first.
pub fn of_template(id: i64) -> Design {
    match id {
        2 => creative_designer(),
        3 => executive_elite(),
        _ => modern_professional(),
    }
}
