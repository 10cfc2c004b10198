//! What a function's memory and binary are held to: every function's limits, or a rendering
//! function's, which carries its typesetting engine and fonts.

/// The memory and binary size a function is held to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub rss_kb: u64,
    pub binary_bytes: u64,
}

impl Limits {
    /// Every function's (issue 3).
    pub const SERVING: Limits = Limits {
        rss_kb: 16 * 1024,
        binary_bytes: 10 * 1024 * 1024,
    };
    /// A function that renders PDFs carries its typesetting engine and fonts (issues 10 and
    /// 11).
    pub const RENDERING: Limits = Limits {
        rss_kb: 64 * 1024,
        binary_bytes: 24 * 1024 * 1024,
    };

    /// The limits of the function `logical_id` of `template.yaml`: a rendering function's if
    /// a product's load plan renders one of its documents there.
    pub fn of(logical_id: &str) -> Limits {
        let renders = crate::products::all().iter().any(|product| {
            let plan = product.def.load_plan();
            plan.documents.iter().any(|d| d.function == logical_id)
        });
        if renders {
            Limits::RENDERING
        } else {
            Limits::SERVING
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_function_that_renders_a_products_document_is_held_to_the_pdf_limits() {
        let rendering: Vec<&str> = crate::products::all()
            .iter()
            .flat_map(|p| p.def.load_plan().documents.iter().map(|d| d.function))
            .collect();
        assert!(!rendering.is_empty(), "no product renders a document");
        for function in rendering {
            assert_eq!(Limits::of(function), Limits::RENDERING, "{function}");
        }
        assert_eq!(Limits::of("NoSuchFunction"), Limits::SERVING);
    }
}
