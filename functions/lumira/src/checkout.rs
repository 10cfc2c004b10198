//! The checkout (`lumira.md`, "Endpoints de Catalogue de Produits"): a client picks a product
//! and gets a Stripe PaymentIntent to pay with (`POST /api/products/create-payment-intent`),
//! then follows its order by the intent's id (`GET /api/products/order/:orderId`, alias
//! `/orders/`). A free product gets its order at once, paid, without Stripe.
//!
//! The intent is created first, with an idempotency key derived from the order id it will
//! carry; the order, its intent link and its number are then written in one transaction. If
//! that write fails the client gets an error and never sees the intent's secret, so the
//! orphan intent cannot be paid.

use crate::AppState;
use crate::catalogue::{self, Product};
use crate::orders::create::Checkout;
use crate::orders::view::CheckoutView;
use crate::orders::{self, IntentId};
use axum::Json;
use axum::extract::State;
use payments::{NewIntent, idempotency_key};
use serde::Serialize;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::BTreeMap;
use web::extract::{Command, PathId};
use web::ids::ObjectId;
use web::route;
use web::routes::{Access, Endpoint};
use web::validate::{ENGLISH, Fields};
use web::{ApiError, ApiResult};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(create_intent, Access::Public),
        route!(order_status, Access::Public),
        route!(orders_status, Access::Public),
    ]
}

/// At most this many metadata entries from the client, each key and value bounded as
/// Stripe bounds its own.
const MAX_METADATA: usize = 20;
const MAX_METADATA_KEY: usize = 40;
const MAX_METADATA_VALUE: usize = 500;

/// A checkout of one of the catalogue's products.
#[derive(utoipa::ToSchema)]
struct CheckoutRequest {
    #[schema(rename = "productId", value_type = crate::openapi::schemas::ProductId, inline)]
    product: &'static Product,
    #[schema(rename = "customerEmail", format = Email, max_length = 254)]
    email: String,
    /// The client's own labels, kept beside the shop's.
    #[schema(schema_with = crate::openapi::schemas::client_labels, required = false)]
    metadata: Map<String, Value>,
}

fn client_metadata(value: &Value) -> Result<Map<String, Value>, Cow<'static, str>> {
    let Value::Object(entries) = value else {
        return Err("metadata must be an object".into());
    };
    if entries.len() > MAX_METADATA {
        return Err(format!("metadata has more than {MAX_METADATA} entries").into());
    }
    for (key, value) in entries {
        let fits = key.chars().count() <= MAX_METADATA_KEY
            && value
                .as_str()
                .is_some_and(|v| v.chars().count() <= MAX_METADATA_VALUE);
        if !fits || key.is_empty() {
            return Err(format!(
                "metadata values must be strings (keys up to {MAX_METADATA_KEY} characters, values up to {MAX_METADATA_VALUE})"
            )
            .into());
        }
    }
    Ok(entries.clone())
}

impl TryFrom<&Map<String, Value>> for CheckoutRequest {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut fields = Fields::new(body, &ENGLISH);
        let product_id = fields.required_str("productId");
        let email = fields.required_with("customerEmail", |v| {
            v.as_str()
                .and_then(web::validate::email)
                .ok_or(Cow::Borrowed("customerEmail must be a valid email address"))
        });
        let metadata = fields.optional_with("metadata", client_metadata);
        let (Some(product_id), Some(email)) = (product_id, email) else {
            return Err(fields.into_error());
        };
        fields.finish()?;
        let product =
            catalogue::find(product_id).ok_or_else(|| ApiError::not_found("Product not found"))?;
        Ok(CheckoutRequest {
            product,
            email,
            metadata: metadata.unwrap_or_default(),
        })
    }
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct CreatedIntent {
    /// For Stripe.js; `null` for a free product, whose order is paid at once.
    // `null` for a free product: there is nothing to pay.
    #[schema(required = true)]
    client_secret: Option<String>,
    /// The payment intent's id (`pi_...`), or `free_<id>` for a free product: the id of the status routes.
    order_id: String,
    /// In cents.
    #[schema(value_type = i64)]
    amount: u32,
    currency: &'static str,
    product_name: &'static str,
}

#[utoipa::path(
    post,
    path = "/api/products/create-payment-intent",
    tag = "Products",
    operation_id = "createPaymentIntent",
    summary = "Check out a product",
    description = "Creates the order and, for a paid product, its Stripe PaymentIntent (product, order and email in metadata; an idempotency key derived from the order). A free product's order is paid at once, without Stripe. Public.",
    request_body = CheckoutRequest,
    responses(
        (status = 200, description = "The intent to pay with.", body = CreatedIntent, example = json!({"clientSecret": "pi_12345_secret_67890", "orderId": "pi_12345", "amount": 1400, "currency": "eur", "productName": "Lecture Mystique Intuitive"})),
        (status = 404, description = "No such product.", body = crate::openapi::schemas::Error, example = json!({"error": "Product not found"})),
        (status = 503, response = crate::openapi::PaymentsUnavailable),
    )
)]
async fn create_intent(
    State(state): State<AppState>,
    Command(request, _): Command<CheckoutRequest>,
) -> ApiResult<Json<CreatedIntent>> {
    let product = request.product;
    let id = ObjectId::new();
    let intent = if product.amount_cents == 0 {
        None
    } else {
        let metadata = BTreeMap::from([
            ("orderId".to_owned(), id.to_string()),
            ("product_id".to_owned(), product.id.to_owned()),
            ("customerEmail".to_owned(), request.email.clone()),
            ("level".to_owned(), product.level_key.to_owned()),
        ]);
        let new = NewIntent {
            amount: i64::from(product.amount_cents),
            currency: product.currency.to_owned(),
            metadata,
            idempotency_key: idempotency_key("lumira-order", &id.to_string(), "intent"),
        };
        Some(state.gateway.create_intent(&new).await?)
    };
    let at = chrono::Utc::now();
    let checkout = Checkout {
        product,
        service: "reading",
        email: request.email,
        client_metadata: request.metadata,
        id,
        number: orders::number::next(&state.store, at).await?,
        intent: intent.as_ref(),
    };
    checkout.save(&state.store, &web::time::format(at)).await?;
    Ok(Json(CreatedIntent {
        client_secret: intent.as_ref().and_then(|i| i.client_secret.clone()),
        order_id: checkout.intent_id(),
        amount: product.amount_cents,
        currency: product.currency,
        product_name: product.name,
    }))
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = OrderStatusProduct)]
struct ProductSummary {
    id: &'static str,
    name: &'static str,
    /// The level's name (`Simple`, `Intuitive`, `Profonde`, `Intégrale`).
    level: &'static str,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct OrderStatus {
    order: CheckoutView,
    #[schema(inline, required = true)]
    product: Option<ProductSummary>,
    access_granted: bool,
    sanctuary_url: &'static str,
}

/// The same answer under the plural path the old client also calls.
#[utoipa::path(
    get,
    path = "/api/products/orders/{orderId}",
    tag = "Products",
    operation_id = "getProductOrderAlias",
    summary = "An order's status by its payment intent (alias)",
    description = "What the client's checkout shows after paying: the payment's outcome and whether the sanctuary is open. Public: the intent id is the client's secret handle.",
    params(("orderId" = String, Path, description = "The payment intent id (`pi_...`) or a free order's `free_<id>`.")),
    responses(
        (status = 200, description = "The order.", body = OrderStatus),
        (status = 400, description = "Not an intent id.", body = crate::openapi::schemas::Error, example = json!({"error": "Invalid id"})),
        (status = 404, response = crate::openapi::OrderNotFound),
    )
)]
async fn orders_status(
    state: State<AppState>,
    intent: PathId<IntentId>,
) -> ApiResult<Json<OrderStatus>> {
    order_status(state, intent).await
}

#[utoipa::path(
    get,
    path = "/api/products/order/{orderId}",
    tag = "Products",
    operation_id = "getProductOrder",
    summary = "An order's status by its payment intent",
    description = "What the client's checkout shows after paying: the payment's outcome and whether the sanctuary is open. Public: the intent id is the client's secret handle.",
    params(("orderId" = String, Path, description = "The payment intent id (`pi_...`) or a free order's `free_<id>`.")),
    responses(
        (status = 200, description = "The order.", body = OrderStatus),
        (status = 400, description = "Not an intent id.", body = crate::openapi::schemas::Error, example = json!({"error": "Invalid id"})),
        (status = 404, response = crate::openapi::OrderNotFound),
    )
)]
async fn order_status(
    State(state): State<AppState>,
    PathId(IntentId(intent)): PathId<IntentId>,
) -> ApiResult<Json<OrderStatus>> {
    let order = orders::find_by_intent(&state.store, &intent)
        .await?
        .ok_or_else(|| ApiError::not_found("Order not found"))?;
    let product = catalogue::find(&order.product_id).map(|p| ProductSummary {
        id: p.id,
        name: p.name,
        level: p.level_name,
    });
    Ok(Json(OrderStatus {
        access_granted: order.payment_status == orders::PaymentStatus::Succeeded,
        order: CheckoutView::from(&order),
        product,
        sanctuary_url: "/sanctuaire",
    }))
}
