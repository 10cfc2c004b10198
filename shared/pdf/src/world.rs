//! The one-file world a document is typeset in: its template as the main source, its data
//! as `sys.inputs.data`, the built-in fonts, and nothing else to read.

use std::sync::OnceLock;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Dict, Duration, IntoValue};
use typst::syntax::{FileId, Source};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// Libertinus Serif, in the four styles templates use.
const FONT_FILES: [&[u8]; 4] = [
    include_bytes!("../fonts/LibertinusSerif-Regular.otf"),
    include_bytes!("../fonts/LibertinusSerif-Bold.otf"),
    include_bytes!("../fonts/LibertinusSerif-Italic.otf"),
    include_bytes!("../fonts/LibertinusSerif-BoldItalic.otf"),
];

struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

/// Parsed once per process: every document shares them.
fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = FONT_FILES
            .iter()
            .flat_map(|data| Font::iter(Bytes::new(*data)))
            .collect();
        Fonts {
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    })
}

pub struct Job {
    library: LazyHash<Library>,
    main: Source,
}

impl Job {
    pub fn new(template: &str, data: &serde_json::Value) -> Job {
        let mut inputs = Dict::new();
        inputs.insert("data".into(), data.to_string().into_value());
        Job {
            library: LazyHash::new(Library::builder().with_inputs(inputs).build()),
            main: Source::detached(template),
        }
    }
}

impl World for Job {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(not_found())
        }
    }

    fn file(&self, _id: FileId) -> FileResult<Bytes> {
        // A document shows only what comes with its data.
        Err(not_found())
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        // Dates come with the data, so that a document is the same whenever it is rendered.
        None
    }
}

fn not_found() -> FileError {
    FileError::NotFound("only the template and its data are available".into())
}
