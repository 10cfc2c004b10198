//! What the benchmarks measure of a product beyond its route table.

/// What the benchmarks measure of a product beyond its route table.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadPlan {
    /// Bodies of the routes measured with one, as (method, path, body).
    pub bodies: &'static [(&'static str, &'static str, &'static str)],
    /// Writes the warm benchmark measures, in this order, as (method, path, body); every
    /// `{n}` in a body is a number unique to the request, `{n8}` the same on eight digits,
    /// `{k}` the count of this body's requests (1, 2, 3...: the k-th item of another write).
    /// They run before the reads, so what they create (id 1) is there to be read.
    pub writes: &'static [(&'static str, &'static str, &'static str)],
    /// The paginated lists the scale benchmark grows and times.
    pub paginated: &'static [Paginated],
    /// The documents the render benchmark times, as the product's rendering function
    /// makes them.
    pub documents: &'static [Rendered],
    /// Real path parameters for the reads the warm benchmark measures and the cold-start
    /// probes, where `1` names nothing (ids that are not numbers, or what the caller does not
    /// own). A route under a sampled one (`/api/resumes/{id}/export_pdf/` under
    /// `/api/resumes/{id}/`) takes its parameter.
    pub samples: &'static [Sample],
}

/// A route's path parameter, read through the API from the demo data and what one of each
/// of the plan's writes made: the answer of GET `from` (with the admin's token, the one the
/// writes were sent with) at the JSON pointer `pointer`. `from` may be a route given a
/// sample earlier in the list, which it is then read from.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub route: &'static str,
    pub from: &'static str,
    pub pointer: &'static str,
}

impl Sample {
    /// The path parameter in `answer` (the answer of GET `from`): a string or a number at
    /// `pointer`.
    pub fn value_in(&self, answer: &serde_json::Value) -> Option<String> {
        match answer.pointer(self.pointer)? {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }
}

/// A document a product renders (a PDF), made from sample data of a realistic size.
#[derive(Debug, Clone, Copy)]
pub struct Rendered {
    /// What it is, for the report (`a two-page reading`).
    pub name: &'static str,
    /// The function that serves it (its `template.yaml` logical id).
    pub function: &'static str,
    /// Makes the document: its bytes, or why not.
    pub render: fn() -> Result<Vec<u8>, String>,
    /// The same document as the HTML page a browser would print, when the product has one
    /// (CV Builder's templates): the render benchmark prints it with headless Chromium, the
    /// way most résumé builders make their PDFs, as the peer.
    pub html: Option<fn() -> Result<String, String>>,
}

/// A paginated list (GET with `page` and `limit`) and the request that adds one item to it.
#[derive(Debug, Clone, Copy)]
pub struct Paginated {
    pub entity: &'static str,
    pub list: &'static str,
    /// Where the list's answer gives the number of items over all pages, as a JSON pointer
    /// (`/pagination/total`): each product's documented pagination names it its own way.
    pub total: &'static str,
    /// (method, path, body), as in [`LoadPlan::writes`], sent with the admin's token. Two
    /// lists with the same `add` grow together: it is sent once for both.
    pub add: (&'static str, &'static str, &'static str),
}
