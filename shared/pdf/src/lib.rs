//! PDFs for the products that hand their clients documents (Lumira's readings, CV Builder's
//! résumés, the marketplace's reports): a [`Document`] of styled paragraphs and SVG figures
//! in, a paginated PDF out, its fonts embedded (subset) and its text searchable.
//!
//! Text is laid out by parley (Linebender's text layout: shaping, bidi, line breaking) and
//! the PDF written by krilla (Typst's PDF writer), SVGs drawn by krilla-svg. A whole
//! typesetting language was tried first (Typst) and made the rendering function 40 MB: its
//! standard library links bibliographies, plugins, syntax highlighting and image codecs no
//! document here uses. The fonts are built into the binary: Libertinus Serif, and behind it
//! faces for the scripts it lacks (Arabic, Devanagari, Chinese, Japanese, Korean;
//! `fonts/README.md`); no system font is looked up, so a PDF is the same everywhere.

mod draw;
mod fonts;
mod layout;

pub use fonts::SERIF;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// An SVG figure could not be read (the caller's data, not our bug).
    #[error("the figure is not a readable SVG: {0}")]
    Svg(String),
    /// The laid-out document could not be written as a PDF.
    #[error("PDF export failed: {0}")]
    Export(String),
}

/// A colour, red, green and blue.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// How a run of text looks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    /// In points.
    pub size: f32,
    pub bold: bool,
    pub italic: bool,
    pub color: Rgb,
    /// Extra space after each letter, in points (small capitals' tracking).
    pub letter_spacing: f32,
}

impl TextStyle {
    pub const fn new(size: f32, color: Rgb) -> Self {
        TextStyle {
            size,
            bold: false,
            italic: false,
            color,
            letter_spacing: 0.0,
        }
    }

    pub const fn bold(mut self) -> Self {
        self.bold = true;
        self
    }

    pub const fn italic(mut self) -> Self {
        self.italic = true;
        self
    }

    pub const fn spaced(mut self, letter_spacing: f32) -> Self {
        self.letter_spacing = letter_spacing;
        self
    }
}

/// Where lines sit between the margins.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Align {
    #[default]
    Start,
    Center,
    End,
}

/// Text in one style.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub text: String,
    pub style: TextStyle,
}

/// A paragraph: spans laid out as one text, broken into lines at the page's width. A
/// newline in a span's text starts a new line.
#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    pub spans: Vec<Span>,
    pub align: Align,
    /// Line height as a multiple of the font size.
    pub line_height: f32,
    /// Space above and below, in points (above is dropped at the top of a page).
    pub space_before: f32,
    pub space_after: f32,
    /// Never the last thing on a page: a heading stays with what follows it.
    pub keep_with_next: bool,
}

impl Paragraph {
    /// One span of `text` in `style`.
    pub fn new(text: impl Into<String>, style: TextStyle) -> Self {
        Paragraph {
            spans: vec![Span {
                text: text.into(),
                style,
            }],
            align: Align::Start,
            line_height: 1.35,
            space_before: 0.0,
            space_after: 0.0,
            keep_with_next: false,
        }
    }

    pub fn align(mut self, align: Align) -> Self {
        self.align = align;
        self
    }

    pub fn spacing(mut self, before: f32, after: f32) -> Self {
        self.space_before = before;
        self.space_after = after;
        self
    }

    pub fn keep_with_next(mut self) -> Self {
        self.keep_with_next = true;
        self
    }

    pub fn line_height(mut self, line_height: f32) -> Self {
        self.line_height = line_height;
        self
    }

    /// Adds `text` in `style` after the paragraph's spans.
    pub fn then(mut self, text: impl Into<String>, style: TextStyle) -> Self {
        self.spans.push(Span {
            text: text.into(),
            style,
        });
        self
    }
}

/// An SVG drawn `width` points wide, its height in proportion.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub svg: String,
    pub width: f32,
    pub align: Align,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Text(Paragraph),
    Figure(Figure),
    /// Vertical space, in points (dropped at the top of a page).
    Space(f32),
}

/// The page's size and margins, in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageSetup {
    pub width: f32,
    pub height: f32,
    pub margin_x: f32,
    pub margin_y: f32,
}

impl PageSetup {
    /// ISO A4, with the margins given in centimetres.
    pub fn a4(margin_x_cm: f32, margin_y_cm: f32) -> Self {
        const POINTS_PER_CM: f32 = 72.0 / 2.54;
        PageSetup {
            width: 595.28,
            height: 841.89,
            margin_x: margin_x_cm * POINTS_PER_CM,
            margin_y: margin_y_cm * POINTS_PER_CM,
        }
    }

    fn content_width(&self) -> f32 {
        self.width - 2.0 * self.margin_x
    }
}

/// A line at the foot of every page, centred in the bottom margin; `{page}` and `{pages}`
/// in its text are the page's number and the count of pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Footer {
    pub text: String,
    pub style: TextStyle,
}

/// Words across the middle of every page, rising from bottom left to top right, drawn over
/// the content but see-through: a preview that is not the finished document. They are text,
/// so a reader (or a test) finds them as it finds the rest.
#[derive(Debug, Clone, PartialEq)]
pub struct Watermark {
    pub text: String,
    pub style: TextStyle,
    /// From 0 (invisible) to 1 (opaque).
    pub opacity: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: String,
    pub author: String,
    /// The software that made it, as readers show it (the product's name: never a
    /// client's text).
    pub creator: String,
    /// BCP 47, for screen readers and hyphenation-aware readers (`fr`, `en`).
    pub language: String,
    pub page: PageSetup,
    pub footer: Option<Footer>,
    pub watermark: Option<Watermark>,
    /// An SVG drawn under every page's content, stretched to the page: a design's colour
    /// fields and bands.
    pub background: Option<String>,
    pub blocks: Vec<Block>,
}

/// The PDF of `document`.
pub fn render(document: &Document) -> Result<Vec<u8>, PdfError> {
    let pages = layout::paginate(document)?;
    draw::pdf(document, &pages)
}

#[cfg(test)]
mod tests;
