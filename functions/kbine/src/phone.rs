//! Ivorian phone numbers as the document accepts them, normalised to 10 digits. Login takes
//! the three operators' prefixes of the document; an order takes any operator's (one an
//! admin created, Telecel's `09` in the document's example), checked against its plan's.

use web::ApiError;

/// Prefixes of the three operators: Moov, MTN, Orange.
pub const VALID_PREFIXES: [&str; 3] = ["01", "05", "07"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber(String);

fn invalid(details: &'static str) -> ApiError {
    ApiError::bad_request("Numéro de téléphone invalide").with_details(details)
}

impl PhoneNumber {
    /// A login's number: one of the document's forms ([`PhoneNumber::parse_any_prefix`])
    /// with one of the document's three prefixes.
    pub fn parse(input: &str) -> Result<PhoneNumber, ApiError> {
        let number = Self::parse_any_prefix(input)?;
        if !VALID_PREFIXES.contains(&number.prefix()) {
            return Err(invalid(
                "Préfixe invalide. Les préfixes valides sont: 01, 05, 07",
            ));
        }
        Ok(number)
    }

    /// Accepts `0701020304`, `07 01 02 03 04`, `+225 07 01 02 03 04` and
    /// `00225 07 01 02 03 04`, whatever operator the prefix names.
    pub fn parse_any_prefix(input: &str) -> Result<PhoneNumber, ApiError> {
        let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        let national = compact
            .strip_prefix("+225")
            .or_else(|| compact.strip_prefix("00225"))
            .unwrap_or(&compact);
        if national.len() != 10 || !national.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid("Le numéro doit contenir exactement 10 chiffres"));
        }
        Ok(PhoneNumber(national.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The two-digit prefix that names the operator.
    pub fn prefix(&self) -> &str {
        &self.0[..2]
    }

    /// The international form SMS services take: Côte d'Ivoire's +225, then the ten digits.
    pub fn e164(&self) -> String {
        format!("+225{}", self.0)
    }
}

/// A stored number as a client may see it: its operator prefix and last four digits
/// (`05••••5943`). A client who knew a staff member's whole number could log in as them.
pub fn masked(number: &str) -> String {
    let digits: Vec<char> = number.chars().collect();
    if digits.len() < 6 {
        return "•".repeat(digits.len());
    }
    let (head, rest) = digits.split_at(2);
    let (middle, tail) = rest.split_at(rest.len() - 4);
    head.iter()
        .chain(std::iter::repeat_n(&'•', middle.len()))
        .chain(tail)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_four_documented_formats() {
        for input in [
            "0701020304",
            "07 01 02 03 04",
            "+225 07 01 02 03 04",
            "00225 07 01 02 03 04",
            "+225 0701020304",
        ] {
            assert_eq!(
                PhoneNumber::parse(input).unwrap().as_str(),
                "0701020304",
                "{input}"
            );
        }
    }

    #[test]
    fn masks_all_but_the_prefix_and_the_last_four_digits() {
        assert_eq!(masked("0566955943"), "05••••5943");
        assert_eq!(masked("0123"), "••••");
    }

    #[test]
    fn refuses_wrong_length_and_prefix() {
        let short = PhoneNumber::parse("07010203").unwrap_err();
        assert_eq!(
            short.details.clone().unwrap(),
            "Le numéro doit contenir exactement 10 chiffres"
        );
        let letters = PhoneNumber::parse("07010203ab").unwrap_err();
        assert_eq!(letters.status(), 400);
        let prefix = PhoneNumber::parse("0901020304").unwrap_err();
        assert_eq!(
            prefix.details.clone().unwrap(),
            "Préfixe invalide. Les préfixes valides sont: 01, 05, 07"
        );
        assert!(PhoneNumber::parse("").is_err());
        assert!(PhoneNumber::parse("+22507010203045").is_err());
    }
}
