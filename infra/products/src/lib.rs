//! Every product, once. Adding a product is its crate and one line here.

use web::product::Product;

pub mod generated;

pub static ALL: &[&dyn Product] = &[
    &kbine::Kbine,
    &lumira::Lumira,
    &cvbuilder::CvBuilder,
    &marketplace::Marketplace,
    &paiecashfan::PaieCashFan,
];

/// The product called `name`.
pub fn named(name: &str) -> Option<&'static dyn Product> {
    ALL.iter().copied().find(|p| p.name() == name)
}

/// Every product's name, for messages (`kbine, lumira, cvbuilder`).
pub fn names() -> String {
    ALL.iter().map(|p| p.name()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn names_prefixes_and_ports_are_unique() {
        let distinct = |f: &dyn Fn(&dyn Product) -> String| {
            ALL.iter().map(|p| f(*p)).collect::<BTreeSet<_>>().len() == ALL.len()
        };
        assert!(distinct(&|p| p.name().to_string()));
        assert!(distinct(&|p| p.env_prefix().to_string()));
        assert!(distinct(&|p| p.default_port().to_string()));
        assert_eq!(named("lumira").map(|p| p.title()), Some("Lumira"));
        assert!(named("nope").is_none());
    }
}
