//! The document's named value types (`components.schemas`) that no handler builds as such:
//! the answers written as JSON values, nested parts, and the enums of fields kept as strings.
#![allow(dead_code)] // described, never built

use crate::sanctuaire::SignedIn;
use utoipa::openapi::schema::{Object, ObjectBuilder, OneOfBuilder, Schema, SchemaType, Type};

pub use super::monitoring::*;
use utoipa::openapi::{Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

#[derive(utoipa::ToSchema)]
#[schema(description = "Every error response.")]
pub struct Error {
    #[schema(example = json!("Route not found"))]
    error: String,
    /// More about the error, when there is more to say.
    #[schema(nullable = false)]
    details: Option<serde_json::Value>,
}

#[derive(utoipa::ToSchema)]
#[schema(example = "eur")]
pub enum Currency {
    #[schema(rename = "eur")]
    Eur,
}

#[derive(utoipa::ToSchema)]
pub enum ProductId {
    #[schema(rename = "initie_simple")]
    InitieSimple,
    #[schema(rename = "mystique_intuitive")]
    MystiqueIntuitive,
    #[schema(rename = "profond_transformation")]
    ProfondTransformation,
    #[schema(rename = "integrale_mandala")]
    IntegraleMandala,
}

#[derive(utoipa::ToSchema)]
pub enum CheckoutState {
    #[schema(rename = "pending")]
    Pending,
    #[schema(rename = "completed")]
    Completed,
    #[schema(rename = "failed")]
    Failed,
    #[schema(rename = "cancelled")]
    Cancelled,
    #[schema(rename = "refunded")]
    Refunded,
}

#[derive(utoipa::ToSchema)]
pub enum PaymentStatus {
    #[schema(rename = "pending")]
    Pending,
    #[schema(rename = "succeeded")]
    Succeeded,
    #[schema(rename = "failed")]
    Failed,
    #[schema(rename = "canceled")]
    Canceled,
    #[schema(rename = "refunded")]
    Refunded,
}

#[derive(utoipa::ToSchema)]
pub enum Service {
    #[schema(rename = "reading")]
    Reading,
    #[schema(rename = "consultation_expert")]
    ConsultationExpert,
}

#[derive(utoipa::ToSchema)]
pub enum StaffRole {
    #[schema(rename = "expert")]
    Expert,
    #[schema(rename = "admin")]
    Admin,
}

#[derive(utoipa::ToSchema)]
pub struct LoggedOut {
    success: bool,
    message: String,
}

#[derive(utoipa::ToSchema)]
pub enum SubscriptionStatus {
    #[schema(rename = "inactive")]
    Inactive,
    #[schema(rename = "active")]
    Active,
    #[schema(rename = "trial")]
    Trial,
    #[schema(rename = "cancelled")]
    Cancelled,
}

#[derive(utoipa::ToSchema)]
pub struct User {
    #[schema(example = json!("65550b2b8f1b2c3d4e5f6a7c"), pattern = "^[0-9a-f]{24}$")]
    _id: String,
    email: String,
    #[schema(rename = "firstName")]
    first_name: Option<String>,
    #[schema(rename = "lastName")]
    last_name: Option<String>,
    phone: Option<String>,
    #[schema(rename = "dateOfBirth")]
    date_of_birth: Option<String>,
    #[schema(rename = "subscriptionStatus", inline)]
    subscription_status: SubscriptionStatus,
    #[schema(rename = "totalOrders")]
    total_orders: i64,
    #[schema(rename = "lastOrderAt", format = DateTime)]
    last_order_at: Option<String>,
    #[schema(rename = "createdAt", format = DateTime)]
    created_at: String,
    #[schema(rename = "updatedAt", format = DateTime)]
    updated_at: String,
}

#[derive(utoipa::ToSchema)]
pub enum OrderState {
    #[schema(rename = "pending")]
    Pending,
    #[schema(rename = "paid")]
    Paid,
    #[schema(rename = "processing")]
    Processing,
    #[schema(rename = "awaiting_validation")]
    AwaitingValidation,
    #[schema(rename = "completed")]
    Completed,
    #[schema(rename = "cancelled")]
    Cancelled,
    #[schema(rename = "refunded")]
    Refunded,
}

// What an admin may write of a reading: one part at least, and nothing else.
#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GeneratedContentFields {
    #[schema(max_length = 200000)]
    reading: Option<String>,
    #[schema(rename = "audioUrl", max_length = 2048)]
    audio_url: Option<String>,
    #[schema(rename = "pdfUrl", max_length = 2048)]
    pdf_url: Option<String>,
    #[schema(rename = "mandalaSvg", max_length = 500000)]
    mandala_svg: Option<String>,
    #[schema(max_length = 50000)]
    ritual: Option<String>,
    #[schema(rename = "blockagesAnalysis", max_length = 50000)]
    blockages_analysis: Option<String>,
    #[schema(rename = "soulProfile", max_length = 50000)]
    soul_profile: Option<String>,
}

web::not_empty_schema!(GeneratedContent, GeneratedContentFields);

#[derive(utoipa::ToSchema)]
pub enum ReviewStatus {
    #[schema(rename = "approved")]
    Approved,
    #[schema(rename = "rejected")]
    Rejected,
    #[schema(rename = "pending")]
    Pending,
}

#[derive(utoipa::ToSchema)]
pub enum DeliveryMethod {
    #[schema(rename = "email")]
    Email,
    #[schema(rename = "sanctuaire")]
    Sanctuaire,
    #[schema(rename = "download")]
    Download,
}

#[derive(utoipa::ToSchema)]
pub enum CompletedState {
    #[schema(rename = "completed")]
    Completed,
}

#[derive(utoipa::ToSchema)]
pub struct CompletedOrdersOrdersItemGeneratedContent {
    #[schema(nullable = false)]
    reading: Option<String>,
    #[schema(rename = "audioUrl", nullable = false)]
    audio_url: Option<String>,
    #[schema(rename = "pdfUrl", nullable = false)]
    pdf_url: Option<String>,
}

#[derive(utoipa::ToSchema)]
pub enum ImageType {
    #[schema(rename = "image/jpeg")]
    Imagejpeg,
    #[schema(rename = "image/png")]
    Imagepng,
    #[schema(rename = "image/webp")]
    Imagewebp,
    #[schema(rename = "image/heif")]
    Imageheif,
}

#[derive(utoipa::ToSchema)]
pub enum PhotoKind {
    #[schema(rename = "face_photo")]
    FacePhoto,
    #[schema(rename = "palm_photo")]
    PalmPhoto,
}

#[derive(utoipa::ToSchema)]
pub struct SubmittedFile {
    #[schema(example = json!("facePhoto-8f3c0b6e2d7a4f1e9b5c3a2d1e0f9a8b.jpg"))]
    filename: String,
    #[schema(rename = "originalName")]
    original_name: Option<String>,
    /// The photo's key in the private file store (the back office gets a short-lived `url`).
    path: String,
    #[schema(inline)]
    mimetype: ImageType,
    size: i64,
    #[schema(rename = "type", inline)]
    kind: PhotoKind,
    #[schema(rename = "uploadedAt", format = DateTime)]
    uploaded_at: String,
    /// Back office only: a link valid 15 minutes.
    #[schema(nullable = false)]
    url: Option<String>,
}

#[derive(utoipa::ToSchema)]
pub enum AwaitingValidation {
    #[schema(rename = "awaiting_validation")]
    AwaitingValidation,
}

#[derive(utoipa::ToSchema)]
pub enum ValidationAction {
    #[schema(rename = "approve")]
    Approve,
    #[schema(rename = "reject")]
    Reject,
}

// An object id: 24 hexadecimal digits.
#[derive(utoipa::ToSchema)]
#[schema(pattern = "^[0-9a-f]{24}$", example = "65550b2b8f1b2c3d4e5f6a7c")]
pub struct ObjectId(String);

// The sanctuaire sign-in's answer: a link on its way, or a token.
pub struct SignInAnswer;

impl utoipa::PartialSchema for SignInAnswer {
    fn schema() -> RefOr<Schema> {
        OneOfBuilder::new()
            .item(Ref::from_schema_name(crate::sanctuaire::LinkSent::name()))
            .item(Ref::from_schema_name(SignedIn::name()))
            .into()
    }
}

impl utoipa::ToSchema for SignInAnswer {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((
            crate::sanctuaire::LinkSent::name().into(),
            crate::sanctuaire::LinkSent::schema(),
        ));
        schemas.push((SignedIn::name().into(), SignedIn::schema()));
        SignedIn::schemas(schemas);
    }
}

/// An order's metadata as a client sends it: at most 20 labels, each up to 500 characters.
pub fn client_labels() -> Object {
    let label = ObjectBuilder::new()
        .schema_type(Type::String)
        .max_length(Some(500));
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Object, Type::Null]))
        .description(Some(
            "The client's own labels, kept on the order (at most 20; string values up to 500 \
             characters). `productName` and `level` are the shop's.",
        ))
        .max_properties(Some(20))
        .additional_properties(Some(label))
        .build()
}
