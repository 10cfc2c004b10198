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
use std::ops::Range;

fn fill(color: Rgb, opacity: NormalizedF32) -> Fill {
    Fill {
        paint: krilla::color::rgb::Color::new(color.0, color.1, color.2).into(),
        opacity,
        rule: Default::default(),
    }
}

fn union(a: &Range<usize>, b: &Range<usize>) -> Range<usize> {
    a.start.min(b.start)..a.end.max(b.end)
}

/// Draws line `index` of `shaped`, its coordinates moved by `(dx, dy)`.
fn draw_line(
    surface: &mut Surface,
    fonts: &mut Embedded,
    shaped: &Text,
    index: usize,
    (dx, dy): (f32, f32),
    opacity: NormalizedF32,
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
            surface.set_fill(Some(fill(color, opacity)));
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
        // A ligature's later characters have no glyph: the ligature's glyph shows them all.
        // Right to left, they come before it in visual order, so they wait for it here.
        let mut waiting: Option<Range<usize>> = None;
        for cluster in run.visual_clusters() {
            if cluster.is_ligature_continuation() {
                let range = cluster.text_range();
                if run.is_rtl() {
                    waiting = Some(waiting.map_or(range.clone(), |w| union(&w, &range)));
                } else if let Some(glyph) = batch.last_mut() {
                    glyph.text_range = union(&glyph.text_range, &range);
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
            let range = match waiting.take() {
                Some(waited) => union(&cluster.text_range(), &waited),
                None => cluster.text_range(),
            };
            for glyph in cluster.glyphs() {
                batch.push(KrillaGlyph::new(
                    GlyphId::new(glyph.id),
                    glyph.advance / size,
                    glyph.x / size,
                    glyph.y / size,
                    0.0,
                    range.clone(),
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
        let at = (page.margin_x, top);
        draw_line(surface, fonts, footer, index, at, NormalizedF32::ONE);
    }
}

/// The watermark, centred on the page and turned to run along its diagonal.
fn draw_watermark(
    surface: &mut Surface,
    fonts: &mut Embedded,
    document: &Document,
    mark: &Text,
    opacity: f32,
) {
    let page = document.page;
    let (cx, cy) = (page.width / 2.0, page.height / 2.0);
    // Rising to the right: y grows downwards on a page.
    let angle = -(page.height / page.width).atan().to_degrees();
    let (width, height) = (mark.layout.width(), mark.layout.height());
    // The fill's own opacity, not a transparency group: text inside a group is a form
    // XObject, which some extractors read with the page's fonts and get wrong.
    let opacity = NormalizedF32::new(opacity.clamp(0.0, 1.0)).unwrap_or(NormalizedF32::ONE);
    let at = (cx - width / 2.0, cy - height / 2.0);
    surface.push_transform(&Transform::from_rotate_at(angle, cx, cy));
    draw_line(surface, fonts, mark, 0, at, opacity);
    surface.pop();
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
                let shaped = &laid.texts[text];
                draw_line(surface, fonts, shaped, line, (dx, dy), NormalizedF32::ONE);
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
            .creator(document.creator.clone()),
    );
    let page = document.page;
    let settings = PageSettings::from_wh(page.width, page.height)
        .ok_or_else(|| PdfError::Export("the page has no size".into()))?;
    let mut fonts = Embedded::default();
    for (index, placed) in laid.pages.iter().enumerate() {
        let mut pdf_page = pdf.start_page_with(settings.clone());
        let mut surface = pdf_page.surface();
        if let Some(background) = &laid.background {
            let size = Size::from_wh(page.width, page.height)
                .ok_or_else(|| PdfError::Export("the page has no size".into()))?;
            surface.draw_svg(background, size, SvgSettings::default());
        }
        draw_page(&mut surface, &mut fonts, laid, placed)?;
        if let Some(footer) = laid.footers.get(index) {
            draw_footer(&mut surface, &mut fonts, document, footer);
        }
        if let (Some(mark), Some(watermark)) = (&laid.watermark, &document.watermark) {
            draw_watermark(&mut surface, &mut fonts, document, mark, watermark.opacity);
        }
        surface.finish();
        pdf_page.finish();
    }
    pdf.finish().map_err(|e| PdfError::Export(format!("{e:?}")))
}
