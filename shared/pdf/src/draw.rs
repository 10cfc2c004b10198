//! Writes laid-out pages as a PDF with krilla: glyphs with the text they show (so that the
//! PDF's text can be searched and copied), figures as vector graphics, each page's footer.

use crate::fonts::Embedded;
use crate::layout::{Pages, Placed, Text};
use crate::{Document, PdfError, Rgb};
use krilla::geom::{Point, Size, Transform};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::surface::Surface;
use krilla::text::{GlyphId, KrillaGlyph};
use krilla_svg::{SurfaceExt, SvgSettings};

fn fill(color: Rgb) -> Fill {
    Fill {
        paint: krilla::color::rgb::Color::new(color.0, color.1, color.2).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

/// Draws line `index` of `shaped`, its coordinates moved by `(dx, dy)`.
fn draw_line(
    surface: &mut Surface,
    fonts: &mut Embedded,
    shaped: &Text,
    index: usize,
    (dx, dy): (f32, f32),
) {
    let Some(line) = shaped.layout.get(index) else {
        return;
    };
    let (text, layout) = (shaped.text.as_str(), &shaped.layout);
    let metrics = line.metrics();
    let baseline = metrics.baseline + dy;
    let mut x = dx + metrics.offset;
    for run in line.runs() {
        // A face krilla cannot read was already refused by parley: nothing to draw.
        let Some(font) = fonts.get(run.font()) else {
            continue;
        };
        let size = run.font_size();
        // Glyphs are drawn in batches of one style (one colour).
        let mut batch: Vec<KrillaGlyph> = Vec::new();
        let mut batch_style = None;
        let mut batch_x = x;
        let flush = |surface: &mut Surface, batch: &mut Vec<KrillaGlyph>, style: u16, at: f32| {
            if batch.is_empty() {
                return;
            }
            let color = layout.styles()[usize::from(style)].brush;
            surface.set_fill(Some(fill(color)));
            surface.draw_glyphs(
                Point::from_xy(at, baseline),
                batch,
                font.clone(),
                text,
                size,
                false,
            );
            batch.clear();
        };
        for cluster in run.visual_clusters() {
            if cluster.is_ligature_continuation() {
                // A ligature's later characters have no glyph: the first one shows them all.
                if let Some(glyph) = batch.last_mut() {
                    glyph.text_range.end = cluster.text_range().end;
                }
                continue;
            }
            let style = cluster.style_index();
            if batch_style.is_some_and(|s| s != style) {
                if let Some(previous) = batch_style {
                    flush(surface, &mut batch, previous, batch_x);
                }
                batch_x = x;
            }
            batch_style = Some(style);
            for glyph in cluster.glyphs() {
                batch.push(KrillaGlyph::new(
                    GlyphId::new(glyph.id),
                    glyph.advance / size,
                    glyph.x / size,
                    glyph.y / size,
                    0.0,
                    cluster.text_range(),
                    None,
                ));
                x += glyph.advance;
            }
        }
        if let Some(style) = batch_style {
            flush(surface, &mut batch, style, batch_x);
        }
    }
}

/// A page's footer, centred in the bottom margin.
fn draw_footer(surface: &mut Surface, fonts: &mut Embedded, document: &Document, footer: &Text) {
    let page = document.page;
    let top = page.height - page.margin_y / 2.0 - footer.layout.height() / 2.0;
    for index in 0..footer.layout.len() {
        draw_line(surface, fonts, footer, index, (page.margin_x, top));
    }
}

fn draw_page(
    surface: &mut Surface,
    fonts: &mut Embedded,
    laid: &Pages,
    placed: &[Placed],
) -> Result<(), PdfError> {
    for item in placed {
        match *item {
            Placed::Line { text, line, dx, dy } => {
                draw_line(surface, fonts, &laid.texts[text], line, (dx, dy));
            }
            Placed::Figure {
                figure,
                x,
                y,
                width,
                height,
            } => {
                let size = Size::from_wh(width, height)
                    .ok_or_else(|| PdfError::Svg("the figure has no size".into()))?;
                surface.push_transform(&Transform::from_translate(x, y));
                surface.draw_svg(&laid.figures[figure], size, SvgSettings::default());
                surface.pop();
            }
        }
    }
    Ok(())
}

/// The PDF of `document`, laid out as `laid`.
pub fn pdf(document: &Document, laid: &Pages) -> Result<Vec<u8>, PdfError> {
    let mut pdf = krilla::Document::new();
    pdf.set_metadata(
        krilla::metadata::Metadata::new()
            .title(document.title.clone())
            .authors(vec![document.author.clone()])
            .language(document.language.clone())
            .creator(document.author.clone()),
    );
    let page = document.page;
    let settings = PageSettings::from_wh(page.width, page.height)
        .ok_or_else(|| PdfError::Export("the page has no size".into()))?;
    let mut fonts = Embedded::default();
    for (index, placed) in laid.pages.iter().enumerate() {
        let mut pdf_page = pdf.start_page_with(settings.clone());
        let mut surface = pdf_page.surface();
        draw_page(&mut surface, &mut fonts, laid, placed)?;
        if let Some(footer) = laid.footers.get(index) {
            draw_footer(&mut surface, &mut fonts, document, footer);
        }
        surface.finish();
        pdf_page.finish();
    }
    pdf.finish().map_err(|e| PdfError::Export(format!("{e:?}")))
}
