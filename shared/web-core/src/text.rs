//! Text a client will see, as other clients will: names and descriptions that an admin types
//! are shown in apps and receipts, so characters that hide or reorder what is displayed are
//! refused (Trojan Source, CVE-2021-42574: a right-to-left override, U+202E, makes
//! `evil<U+202E>gnp.exe` read as `evilexe.png`; rustc refuses it in source for the same reason).

/// Whether `text` holds a control character (a tab or newline included) or a bidirectional
/// embedding, override or isolate, or an invisible direction mark.
pub fn hides_or_reorders(text: &str) -> bool {
    text.chars().any(|c| {
        c.is_control()
            || matches!(
                c,
                '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
            )
    })
}

/// The bytes of a hexadecimal string (either case), or `None` if it is not one.
pub fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_bidirectional_characters_are_found_and_accents_are_not() {
        for clean in [
            "Orange CI",
            "Forfait été 1 000 F",
            "Télécel",
            "مرحبا",
            "日本",
        ] {
            assert!(!hides_or_reorders(clean), "{clean}");
        }
        for hiding in [
            "evil\u{202E}gnp.exe",
            "a\u{2066}b",
            "tab\there",
            "line\nbreak",
            "nul\u{0}",
            "mark\u{200F}",
        ] {
            assert!(hides_or_reorders(hiding), "{hiding:?}");
        }
    }
}
