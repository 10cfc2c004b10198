//! The body of `POST /api/orders`, checked once into a typed command. Every failing field is
//! recorded; Kbine's dialect says the first one, in the document's order and words.

use crate::phone::PhoneNumber;
use serde_json::{Map, Value};
use web::ApiError;
use web::validate::{self, Choice, Fields};

web::choice! {
    /// How a client pays (`kbine.md`: Wave, Orange Money, MTN Money, Moov Money).
    #[schema(description = "Méthode de paiement : `wave` Wave CI, `orange_money` Orange Money, `mtn_money` MTN Mobile Money, `moov_money` Moov Money.", example = json!("wave"))]
    pub enum PaymentMethod {
        Wave = "wave",
        OrangeMoney = "orange_money",
        MtnMoney = "mtn_money",
        MoovMoney = "moov_money",
    }
}

// An order a client asks for, as its body says it. (Plain comments on these types: a doc
// comment would become a description in the French document.)
#[derive(Debug, Clone, PartialEq, utoipa::ToSchema)]
#[schema(as = OrderCreate, example = json!({"plan_id": 1, "phone_number": "0701020304", "payment_method": "wave"}))]
pub struct NewOrder {
    /// Forfait commandé (doit exister et être actif).
    #[schema(example = json!(1), minimum = 1)]
    pub plan_id: i64,
    /// Numéro à recharger ; son préfixe doit être celui de l'opérateur du forfait. Formes acceptées : voir PhoneNumber.
    #[schema(rename = "phone_number", value_type = String, example = json!("0701020304"))]
    pub phone: PhoneNumber,
    #[schema(value_type = crate::openapi::schemas::PaymentMethod)]
    pub payment_method: PaymentMethod,
}

impl TryFrom<&Map<String, Value>> for NewOrder {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut fields = Fields::new(body, &validate::FRENCH);
        let plan_id = fields.required_positive_int("plan_id");
        let phone = fields
            .required_str("phone_number")
            .and_then(|text| fields.check("phone_number", PhoneNumber::parse_any_prefix(text)));
        let payment_method = fields
            .value("payment_method")
            .and_then(Value::as_str)
            .and_then(PaymentMethod::parse);
        if payment_method.is_none() {
            fields.refuse_titled(
                "payment_method",
                "Méthode de paiement invalide",
                format!(
                    "Les méthodes valides sont: {}",
                    PaymentMethod::names().join(", ")
                ),
            );
        }
        let (Some(plan_id), Some(phone), Some(payment_method)) = (plan_id, phone, payment_method)
        else {
            return Err(fields.into_error());
        };
        Ok(NewOrder {
            plan_id,
            phone,
            payment_method,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;
    use web::error::ErrorStyle;
    use web::error::styles::{DjangoRest, ErrorDetails};

    fn refused(body: Value) -> ApiError {
        NewOrder::try_from(body.as_object().unwrap()).unwrap_err()
    }

    #[test]
    fn the_methods_listed_are_the_methods_accepted() {
        assert_eq!(PaymentMethod::names(), crate::orders::PAYMENT_METHODS);
    }

    #[test]
    fn a_good_body_is_a_typed_order() {
        let body =
            json!({"plan_id": 2, "phone_number": "+225 07 01 02 03 04", "payment_method": "wave"});
        let order = NewOrder::try_from(body.as_object().unwrap()).unwrap();
        assert_eq!(order.plan_id, 2);
        assert_eq!(order.phone.as_str(), "0701020304");
        assert_eq!(order.payment_method, PaymentMethod::Wave);
    }

    #[test]
    fn kbine_says_the_first_failing_field_as_the_document_does() {
        let cases = [
            (
                json!({}),
                json!({"error": "Données invalides", "details": "plan_id est requis"}),
            ),
            (
                json!({"plan_id": 1, "phone_number": 5, "payment_method": "wave"}),
                json!({"error": "Données invalides",
                       "details": "phone_number doit être une chaîne de caractères"}),
            ),
            (
                json!({"plan_id": 1, "phone_number": "09010203", "payment_method": "wave"}),
                json!({"error": "Numéro de téléphone invalide",
                       "details": "Le numéro doit contenir exactement 10 chiffres"}),
            ),
            (
                json!({"plan_id": 1, "phone_number": "0701020304", "payment_method": "cash"}),
                json!({"error": "Méthode de paiement invalide",
                       "details": "Les méthodes valides sont: wave, orange_money, mtn_money, moov_money"}),
            ),
        ];
        for (body, said) in cases {
            assert_eq!(
                ErrorDetails.render(&refused(body.clone())).1,
                said,
                "{body}"
            );
        }
    }

    #[test]
    fn every_failing_field_is_kept_for_the_styles_that_say_them_all() {
        let (_, all) = DjangoRest.render(&refused(json!({"plan_id": 0, "payment_method": null})));
        let fields: Vec<&String> = all.as_object().unwrap().keys().collect();
        assert_eq!(fields, ["payment_method", "phone_number", "plan_id"]);
    }
}
