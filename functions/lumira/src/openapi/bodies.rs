//! Request bodies as the document describes them. Their handlers read them field by field,
//! in the shop's words; these types only name and describe them.
#![allow(dead_code)] // described, never built

use super::schemas::*;

#[derive(utoipa::ToSchema)]
pub struct RefreshRequest {
    #[schema(rename = "refreshToken", min_length = 1)]
    refresh_token: String,
}

#[derive(utoipa::ToSchema)]
#[schema(example = json!({"subscriptionStatus": "active", "phone": "+33612345678", "firstName": "John", "lastName": "Doe"}))]
pub struct UserPatchFields {
    #[schema(rename = "firstName", max_length = 100)]
    first_name: Option<String>,
    #[schema(rename = "lastName", max_length = 100)]
    last_name: Option<String>,
    #[schema(max_length = 100)]
    phone: Option<String>,
    /// A date, `YYYY-MM-DD` or ISO 8601.
    #[schema(rename = "dateOfBirth", max_length = 100)]
    date_of_birth: Option<String>,
    #[schema(rename = "subscriptionStatus", inline, nullable = false)]
    subscription_status: Option<SubscriptionStatus>,
}

web::not_empty_schema!(UserPatch, UserPatchFields);

#[derive(utoipa::ToSchema)]
pub struct ConsultationRequestMetadata {
    /// One of the client's orders, the reading it is about.
    #[schema(rename = "orderId", pattern = "^[0-9a-f]{24}$")]
    order_id: Option<String>,
}

#[derive(utoipa::ToSchema)]
#[schema(example = json!({"expertId": "65550b2b8f1b2c3d4e5f6a7d", "amount": 1400, "description": "Consultation avec l'expert Jean Dupont", "metadata": {"orderId": "65550b2b8f1b2c3d4e5f6a7c"}}))]
pub struct ConsultationRequest {
    #[schema(rename = "expertId", pattern = "^[0-9a-f]{24}$")]
    expert_id: String,
    /// If sent, the consultation's price (1400 cents): the shop's price is the one charged.
    amount: Option<i64>,
    #[schema(max_length = 500)]
    description: Option<String>,
    #[schema(inline)]
    metadata: Option<ConsultationRequestMetadata>,
}

#[derive(utoipa::ToSchema)]
pub struct StripeEventDataObject {
    id: String,
    #[schema(nullable = false)]
    amount: Option<i64>,
    #[schema(nullable = false)]
    metadata: Option<std::collections::HashMap<String, String>>,
    /// A charge's intent.
    payment_intent: Option<String>,
    /// Whether a charge was refunded in full.
    #[schema(nullable = false)]
    refunded: Option<bool>,
}

#[derive(utoipa::ToSchema)]
pub struct StripeEventData {
    #[schema(inline)]
    object: StripeEventDataObject,
}

#[derive(utoipa::ToSchema)]
#[schema(
    description = "A Stripe event, signed by Stripe (`Stripe-Signature` over the raw body). `payment_intent.succeeded`, `.payment_failed` and `.canceled` move the order named by `data.object.metadata.orderId`; `charge.refunded` refunds the order of `data.object.payment_intent` when `refunded` is true; other events, and intents without that reference, are acknowledged and ignored. Each event id is processed once."
)]
pub struct StripeEvent {
    id: String,
    #[schema(rename = "type")]
    kind: String,
    #[schema(inline)]
    data: StripeEventData,
}

// `POST /api/orders/by-payment-intent/{paymentIntentId}/client-submit`, a form.
#[derive(utoipa::ToSchema)]
pub struct ClientSubmission {
    /// A JSON object, as text.
    #[schema(example = json!("{\"email\":\"john.doe@example.com\",\"firstName\":\"John\",\"lastName\":\"Doe\",\"specificQuestion\":\"Quelle est ma voie spirituelle?\"}"))]
    #[schema(rename = "formData")]
    form_data: String,
    #[schema(rename = "facePhoto", format = Binary, nullable = false)]
    face_photo: Option<String>,
    #[schema(rename = "palmPhoto", format = Binary, nullable = false)]
    palm_photo: Option<String>,
}
