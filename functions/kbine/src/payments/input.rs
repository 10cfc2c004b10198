//! The bodies of payment creation and the admin update, checked once into typed commands
//! through `web::validate`: every failing field is kept, and Kbine says the first in the
//! document's words. `null` counts as absent in both bodies.

use super::{MAX_CALLBACK_BYTES, MAX_CALLBACK_DEPTH, MAX_REFERENCE, STATUSES};
use crate::orders::PaymentMethod;
use serde_json::{Map, Value};
use std::borrow::Cow;
use web::ApiError;
use web::money::Money;
use web::validate::{self, Fields};

type Parsed<T> = Result<T, Cow<'static, str>>;

pub fn status_of(text: &str) -> Option<&'static str> {
    STATUSES.iter().copied().find(|known| *known == text)
}

fn amount(value: &Value) -> Parsed<Money> {
    let amount = Money::from_json(value).map_err(|e| Cow::Owned(format!("amount: {e}")))?;
    if amount.is_positive() {
        Ok(amount)
    } else {
        Err("amount doit être positif".into())
    }
}

fn status(value: &Value) -> Parsed<&'static str> {
    value.as_str().and_then(status_of).ok_or(Cow::Borrowed(
        "status doit être pending, success, failed ou refunded",
    ))
}

fn reference_of(field: &'static str) -> impl Fn(&Value) -> Parsed<String> {
    move |value| match value {
        Value::String(s) if !s.trim().is_empty() && s.trim().chars().count() <= MAX_REFERENCE => {
            Ok(s.trim().to_string())
        }
        _ => Err(Cow::Owned(format!(
            "{field} doit être une chaîne non vide de {MAX_REFERENCE} caractères au plus"
        ))),
    }
}

/// How deep `value` nests, and whether all of its numbers can be stored (DynamoDB numbers
/// stop at 1e125).
fn depth_and_storable(value: &Value) -> (usize, bool) {
    match value {
        Value::Array(values) => values.iter().fold((1, true), |(d, ok), v| {
            let (vd, vok) = depth_and_storable(v);
            (d.max(vd + 1), ok && vok)
        }),
        Value::Object(map) => map.values().fold((1, true), |(d, ok), v| {
            let (vd, vok) = depth_and_storable(v);
            (d.max(vd + 1), ok && vok)
        }),
        Value::Number(n) => (0, n.as_f64().is_some_and(|f| f.abs() < 1e100)),
        _ => (0, true),
    }
}

fn callback_data(value: &Value) -> Parsed<Map<String, Value>> {
    let Value::Object(map) = value else {
        return Err("callback_data doit être un objet JSON".into());
    };
    let (depth, storable) = depth_and_storable(value);
    let size = serde_json::to_vec(value).map_or(usize::MAX, |b| b.len());
    if depth > MAX_CALLBACK_DEPTH || size > MAX_CALLBACK_BYTES || !storable {
        return Err(Cow::Owned(format!(
            "callback_data est trop volumineux (au plus {MAX_CALLBACK_BYTES} octets et \
             {MAX_CALLBACK_DEPTH} niveaux)"
        )));
    }
    Ok(map.clone())
}

// A payment a client records for one of its orders. (Plain comments on these types: a doc
// comment would become a description in the French document.)
#[derive(Debug, PartialEq, utoipa::ToSchema)]
#[schema(as = PaymentCreate, example = json!({"order_id": 123, "amount": 5000.0, "payment_method": "wave", "payment_reference": "PAY-20251008-ABC123", "external_reference": "WAVE-TXN-456789", "callback_data": {"transaction_id": "12345", "customer_phone": "0789062079"}}))]
pub struct NewPayment {
    /// Commande payée (doit exister et appartenir à l'appelant, sauf admin).
    #[schema(example = json!(123), minimum = 1)]
    pub order_id: i64,
    #[schema(value_type = crate::openapi::schemas::AmountInput)]
    pub amount: Money,
    #[schema(rename = "payment_method", value_type = crate::openapi::schemas::PaymentMethod)]
    pub method: PaymentMethod,
    /// Référence unique du paiement (100 caractères au plus).
    #[schema(rename = "payment_reference", example = json!("PAY-20251008-ABC123"), min_length = 1, max_length = 100)]
    pub reference: String,
    /// Référence externe (auto-générée si absente).
    #[schema(example = json!("WAVE-TXN-456789"), min_length = 1, max_length = 100)]
    pub external_reference: Option<String>,
    #[schema(schema_with = crate::openapi::schemas::callback_data)]
    pub callback_data: Option<Map<String, Value>>,
}

impl TryFrom<&Map<String, Value>> for NewPayment {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut fields = Fields::new(body, &validate::FRENCH);
        let order_id = fields.required_positive_int("order_id");
        let amount = fields.required_with("amount", amount);
        let method = fields.required_choice::<PaymentMethod>("payment_method");
        let reference =
            fields.required_with("payment_reference", reference_of("payment_reference"));
        let external_reference =
            fields.optional_with("external_reference", reference_of("external_reference"));
        let callback_data = fields.optional_with("callback_data", callback_data);
        let (Some(order_id), Some(amount), Some(method), Some(reference)) =
            (order_id, amount, method, reference)
        else {
            return Err(fields.into_error());
        };
        fields.finish()?;
        Ok(NewPayment {
            order_id,
            amount,
            method,
            reference,
            external_reference,
            callback_data,
        })
    }
}

// What the admin update changes; at least one of them.
#[derive(Debug, PartialEq, utoipa::ToSchema)]
#[schema(as = PaymentUpdate, description = "Au moins un champ doit être fourni (un champ `null` compte comme absent) ; `callback_data` remplace les données existantes. `amount` doit rester celui de la commande ; `status` suit les transitions de PATCH /api/payments/:id/status.", example = json!({"amount": 5500.0, "status": "success", "callback_data": {"transaction_id": "12345", "validation_code": "OK-123"}}))]
pub struct PaymentChanges {
    #[schema(value_type = Option<crate::openapi::schemas::AmountInput>)]
    pub amount: Option<Money>,
    #[schema(value_type = Option<crate::openapi::schemas::PaymentStatus>)]
    pub status: Option<&'static str>,
    #[schema(schema_with = crate::openapi::schemas::callback_data)]
    pub callback_data: Option<Map<String, Value>>,
}

impl TryFrom<&Map<String, Value>> for PaymentChanges {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut fields = Fields::new(body, &validate::FRENCH);
        if ["amount", "status", "callback_data"]
            .iter()
            .all(|name| fields.value(name).is_none())
        {
            return Err(ApiError::bad_request("Au moins un champ doit être fourni")
                .with_details("Champs modifiables: amount, status, callback_data"));
        }
        let changes = PaymentChanges {
            amount: fields.optional_with("amount", amount),
            status: fields.optional_with("status", status),
            callback_data: fields.optional_with("callback_data", callback_data),
        };
        fields.finish()?;
        Ok(changes)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;
    use web::error::ErrorStyle;
    use web::error::styles::ErrorDetails;

    fn said(error: ApiError) -> Value {
        ErrorDetails.render(&error).1
    }

    fn new(body: Value) -> Result<NewPayment, ApiError> {
        NewPayment::try_from(body.as_object().unwrap())
    }

    #[test]
    fn a_payment_body_becomes_a_typed_payment() {
        let payment = new(
            json!({"order_id": 3, "amount": "1000.50", "payment_method": "wave",
                                 "payment_reference": " REF-1 ", "external_reference": null}),
        )
        .unwrap();
        assert_eq!(payment.amount, Money::from_minor(100_050));
        assert_eq!(payment.method, PaymentMethod::Wave);
        assert_eq!(payment.reference, "REF-1");
        assert_eq!(
            (payment.external_reference, payment.callback_data),
            (None, None)
        );
    }

    #[test]
    fn the_first_failing_field_is_said_in_kbines_words() {
        for (body, details) in [
            (json!({}), "order_id est requis"),
            (json!({"order_id": 1}), "amount est requis"),
            (
                json!({"order_id": 1, "amount": 0}),
                "amount doit être positif",
            ),
            (
                json!({"order_id": 1, "amount": 5, "payment_method": "cash"}),
                "payment_method doit être wave, orange_money, mtn_money ou moov_money",
            ),
            (
                json!({"order_id": 1, "amount": 5, "payment_method": "wave"}),
                "payment_reference est requis",
            ),
            (
                json!({"order_id": 1, "amount": 5, "payment_method": "wave",
                       "payment_reference": "R", "callback_data": [1]}),
                "callback_data doit être un objet JSON",
            ),
        ] {
            assert_eq!(
                said(new(body.clone()).unwrap_err()),
                json!({"error": "Données invalides", "details": details}),
                "{body}"
            );
        }
    }

    #[test]
    fn an_update_changes_at_least_one_field() {
        let empty = PaymentChanges::try_from(json!({"amount": null}).as_object().unwrap());
        assert_eq!(
            said(empty.unwrap_err()),
            json!({"error": "Au moins un champ doit être fourni",
                   "details": "Champs modifiables: amount, status, callback_data"})
        );
        let bad = PaymentChanges::try_from(json!({"status": "paid"}).as_object().unwrap());
        assert_eq!(
            said(bad.unwrap_err()),
            json!({"error": "Données invalides",
                   "details": "status doit être pending, success, failed ou refunded"})
        );
        let ok = PaymentChanges::try_from(json!({"status": "success"}).as_object().unwrap());
        assert_eq!(ok.unwrap().status, Some("success"));
    }
}
