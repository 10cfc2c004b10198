//! Lays a document out: each paragraph shaped and broken into lines by parley at the
//! page's width, then lines and figures stacked down the pages, then each page's footer.

use crate::{Align, Block, Document, Figure, Paragraph, PdfError, Rgb};
use parley::{
    Alignment, AlignmentOptions, FontContext, FontFamily, FontStyle, FontWeight, Layout,
    LayoutContext, LineHeight, LineMetrics, StyleProperty,
};

/// A paragraph shaped and broken into lines.
pub struct Text {
    pub text: String,
    pub layout: Layout<Rgb>,
}

/// What is drawn where on a page, in points from its top-left corner.
pub enum Placed {
    /// Line `line` of text `text`, its layout's coordinates moved by `(dx, dy)`.
    Line {
        text: usize,
        line: usize,
        dx: f32,
        dy: f32,
    },
    Figure {
        figure: usize,
        x: f32,
        y: f32,
        width: f32,
        height: f32,
    },
}

pub struct Pages {
    pub texts: Vec<Text>,
    pub figures: Vec<usvg::Tree>,
    pub pages: Vec<Vec<Placed>>,
    /// Each page's footer, shaped once the count of pages is known.
    pub footers: Vec<Text>,
    /// The watermark, shaped on one line.
    pub watermark: Option<Text>,
    pub background: Option<usvg::Tree>,
}

/// Shapes `paragraph` and breaks it into lines `width` points wide.
pub fn shape(
    fonts: &mut FontContext,
    scratch: &mut LayoutContext<Rgb>,
    paragraph: &Paragraph,
    width: f32,
) -> Text {
    let text: String = paragraph.spans.iter().map(|s| s.text.as_str()).collect();
    let mut builder = scratch.ranged_builder(fonts, &text, 1.0, false);
    builder.push_default(StyleProperty::FontFamily(FontFamily::from(
        crate::fonts::FAMILIES,
    )));
    // The paragraph's own size sets its lines' height (parley's default is 16).
    if let Some(first) = paragraph.spans.first() {
        builder.push_default(StyleProperty::FontSize(first.style.size));
    }
    builder.push_default(StyleProperty::LineHeight(LineHeight::FontSizeRelative(
        paragraph.line_height,
    )));
    let mut start = 0;
    for span in &paragraph.spans {
        let range = start..start + span.text.len();
        start = range.end;
        let style = span.style;
        builder.push(StyleProperty::FontSize(style.size), range.clone());
        builder.push(StyleProperty::Brush(style.color), range.clone());
        if style.bold {
            builder.push(StyleProperty::FontWeight(FontWeight::BOLD), range.clone());
        }
        if style.italic {
            builder.push(StyleProperty::FontStyle(FontStyle::Italic), range.clone());
        }
        if style.letter_spacing != 0.0 {
            builder.push(StyleProperty::LetterSpacing(style.letter_spacing), range);
        }
    }
    let mut layout = builder.build(&text);
    layout.break_all_lines(Some(width));
    let alignment = match paragraph.align {
        Align::Start => Alignment::Start,
        Align::Center => Alignment::Center,
        Align::End => Alignment::End,
    };
    layout.align(alignment, AlignmentOptions::default());
    Text { text, layout }
}

fn line_box(metrics: &LineMetrics) -> f32 {
    metrics.block_max_coord - metrics.block_min_coord
}

fn figure_size(tree: &usvg::Tree, figure: &Figure, max_height: f32) -> (f32, f32) {
    let size = tree.size();
    let height = figure.width * size.height() / size.width();
    if height > max_height {
        (figure.width * max_height / height, max_height)
    } else {
        (figure.width, height)
    }
}

fn start_x(align: Align, free: f32) -> f32 {
    match align {
        Align::Start => 0.0,
        Align::Center => free / 2.0,
        Align::End => free,
    }
}

/// The pages filled so far, and where the next block goes on the last.
struct Flow {
    pages: Vec<Vec<Placed>>,
    cursor: f32,
    top: f32,
    bottom: f32,
}

impl Flow {
    fn at_top(&self) -> bool {
        self.cursor <= self.top
    }

    /// Space that is dropped at the top of a page.
    fn skip(&mut self, space: f32) {
        if !self.at_top() {
            self.cursor += space;
        }
    }

    /// Starts a new page unless `height` fits on this one (or this one is still empty).
    fn make_room(&mut self, height: f32) {
        if self.cursor + height > self.bottom && !self.at_top() {
            self.pages.push(Vec::new());
            self.cursor = self.top;
        }
    }

    fn place(&mut self, placed: Placed, height: f32) {
        if let Some(page) = self.pages.last_mut() {
            page.push(placed);
        }
        self.cursor += height;
    }
}

/// The document's blocks shaped, and placed page by page.
pub fn paginate(document: &Document) -> Result<Pages, PdfError> {
    let page = document.page;
    let width = page.content_width();
    let (top, bottom) = (page.margin_y, page.height - page.margin_y);
    let mut fonts = crate::fonts::context();
    let mut scratch = LayoutContext::new();

    // Shape everything first: keeping a heading with what follows needs the next height.
    let mut texts = Vec::new();
    let mut figures = Vec::new();
    let mut figure_sizes = Vec::new();
    let mut heights = Vec::new(); // of each block's first line, or its figure
    for block in &document.blocks {
        match block {
            Block::Text(paragraph) => {
                let text = shape(&mut fonts, &mut scratch, paragraph, width);
                let first = text.layout.lines().next();
                heights.push(first.map_or(0.0, |line| line_box(line.metrics())));
                texts.push(text);
            }
            Block::Figure(figure) => {
                let tree = usvg::Tree::from_str(&figure.svg, crate::fonts::svg_options())
                    .map_err(|e| PdfError::Svg(e.to_string()))?;
                let size = figure_size(&tree, figure, bottom - top);
                heights.push(size.1);
                figure_sizes.push(size);
                figures.push(tree);
            }
            Block::Space(_) => heights.push(0.0),
        }
    }

    let mut flow = Flow {
        pages: vec![Vec::new()],
        cursor: top,
        top,
        bottom,
    };
    let (mut next_text, mut next_figure) = (0, 0);
    for (index, block) in document.blocks.iter().enumerate() {
        match block {
            Block::Space(space) => flow.skip(*space),
            Block::Figure(figure) => {
                let (w, h) = figure_sizes[next_figure];
                flow.make_room(h);
                let placed = Placed::Figure {
                    figure: next_figure,
                    x: page.margin_x + start_x(figure.align, width - w),
                    y: flow.cursor,
                    width: w,
                    height: h,
                };
                flow.place(placed, h);
                next_figure += 1;
            }
            Block::Text(paragraph) => {
                flow.skip(paragraph.space_before);
                let layout = &texts[next_text].layout;
                if paragraph.keep_with_next {
                    let next = heights.get(index + 1).copied().unwrap_or_default();
                    flow.make_room(layout.height() + paragraph.space_after + next);
                }
                for (line, metrics) in layout.lines().map(|l| *l.metrics()).enumerate() {
                    let height = line_box(&metrics);
                    flow.make_room(height);
                    let placed = Placed::Line {
                        text: next_text,
                        line,
                        dx: page.margin_x,
                        dy: flow.cursor - metrics.block_min_coord,
                    };
                    flow.place(placed, height);
                }
                flow.cursor += paragraph.space_after;
                next_text += 1;
            }
        }
    }
    let pages = flow.pages;
    let footers = match &document.footer {
        Some(footer) => (1..=pages.len())
            .map(|number| {
                let words = footer
                    .text
                    .replace("{page}", &number.to_string())
                    .replace("{pages}", &pages.len().to_string());
                let paragraph = Paragraph::new(words, footer.style).align(Align::Center);
                shape(&mut fonts, &mut scratch, &paragraph, width)
            })
            .collect(),
        None => Vec::new(),
    };
    let watermark = document.watermark.as_ref().map(|mark| {
        let paragraph = Paragraph::new(&mark.text, mark.style);
        // On one line, however long: it runs across the page's diagonal.
        shape(&mut fonts, &mut scratch, &paragraph, f32::MAX)
    });
    let background = document
        .background
        .as_deref()
        .map(|svg| usvg::Tree::from_str(svg, crate::fonts::svg_options()))
        .transpose()
        .map_err(|e| PdfError::Svg(e.to_string()))?;
    Ok(Pages {
        texts,
        figures,
        pages,
        footers,
        watermark,
        background,
    })
}
