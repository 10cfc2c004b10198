//! The fonts built into the binary, registered once for layout; the same bytes become the
//! PDF's embedded fonts (`fonts/README.md`: which, and their licences).

use parley::FontContext;
use parley::FontFamilyName;
use parley::fontique::Blob;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

/// The family documents are set in.
pub const SERIF: &str = "Libertinus Serif";

/// What text is set in: the serif first, then, for a character it lacks, the first of the
/// others that has it. A résumé or a reading names people in every script.
pub const FAMILIES: &[FontFamilyName<'static>] = &[
    FontFamilyName::Named(std::borrow::Cow::Borrowed(SERIF)),
    FontFamilyName::Named(std::borrow::Cow::Borrowed("Noto Sans Arabic")),
    FontFamilyName::Named(std::borrow::Cow::Borrowed("Noto Sans Devanagari")),
    FontFamilyName::Named(std::borrow::Cow::Borrowed("Droid Sans Fallback")),
];

const FACES: &[&[u8]] = &[
    include_bytes!("../fonts/LibertinusSerif-Regular.otf"),
    include_bytes!("../fonts/LibertinusSerif-Bold.otf"),
    include_bytes!("../fonts/LibertinusSerif-Italic.otf"),
    include_bytes!("../fonts/LibertinusSerif-BoldItalic.otf"),
    include_bytes!("../fonts/NotoSansArabic-Regular.ttf"),
    include_bytes!("../fonts/NotoSansArabic-Bold.ttf"),
    include_bytes!("../fonts/NotoSansDevanagari-Regular.ttf"),
    include_bytes!("../fonts/DroidSansFallback.ttf"),
];

/// The layout's font database: the faces above and nothing from the system (parley is built
/// without its `system` feature).
static FONTS: LazyLock<FontContext> = LazyLock::new(|| {
    let mut context = FontContext::new();
    for face in FACES {
        let data: Arc<dyn AsRef<[u8]> + Send + Sync> = Arc::new(*face);
        context.collection.register_fonts(Blob::new(data), None);
    }
    context
});

/// How SVG figures are read: their text set in the same faces as the document's (a chart's
/// labels), drawn as outlines; no system font is looked up there either.
static SVG_OPTIONS: LazyLock<usvg::Options<'static>> = LazyLock::new(|| {
    let mut faces = usvg::fontdb::Database::new();
    // Shared, not copied: the faces are already in the binary.
    for face in FACES {
        faces.load_font_source(usvg::fontdb::Source::Binary(Arc::new(*face)));
    }
    let mut options = usvg::Options {
        font_family: SERIF.to_owned(),
        ..usvg::Options::default()
    };
    options.fontdb = Arc::new(faces);
    options
});

pub fn svg_options() -> &'static usvg::Options<'static> {
    &SVG_OPTIONS
}

/// A font database for one document.
pub fn context() -> FontContext {
    FONTS.clone()
}

/// The PDF fonts of the faces a layout used, one per face.
#[derive(Default)]
pub struct Embedded(HashMap<(u64, u32), krilla::text::Font>);

impl Embedded {
    pub fn get(&mut self, face: &parley::FontData) -> Option<krilla::text::Font> {
        let key = (face.data.id(), face.index);
        if let Some(font) = self.0.get(&key) {
            return Some(font.clone());
        }
        let (bytes, _) = face.data.clone().into_raw_parts();
        let font = krilla::text::Font::new(bytes.into(), face.index)?;
        self.0.insert(key, font.clone());
        Some(font)
    }
}
