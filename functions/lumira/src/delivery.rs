//! Delivery (`PATCH /api/orders/:id/delivered`), its own route group and function: the only
//! one that links the PDF engine. A reading an expert approved is typeset into its PDF
//! ([`crate::reading`]), stored privately beside the order, the order completed, and the
//! client told by email that the reading waits in their sanctuaire. `pdfUrl` is never
//! stored: each read of the order gets a link that works 15 minutes.

use crate::AppState;
use crate::customers;
use crate::order_admin::found;
use crate::orders::moves::{self, Change};
use crate::orders::view::OrderView;
use crate::orders::{Order, review, status};
use crate::role::Role;
use axum::Json;
use axum::extract::State;
use messaging::Email;
use serde_json::{Map, Value};
use std::time::Duration;
use store::Update;
use web::auth::AuthUser;
use web::extract::{Command, PathId};
use web::ids::ObjectId;
use web::route;
use web::routes::{Access, Endpoint};
use web::{ApiError, ApiResult};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![route!(delivered, Access::Roles(Role::ADMIN))]
}

/// How long a reading's `pdfUrl` works.
const READING_LINK: Duration = Duration::from_secs(15 * 60);

/// How a reading may reach its client.
const DELIVERY_METHODS: &[&str] = &["email", "sanctuaire", "download"];

/// The order's `generatedContent.pdfUrl`: a short-lived link to its reading's PDF.
pub async fn with_reading_link(state: &AppState, order: &mut Order) -> ApiResult<()> {
    let Some(key) = &order.reading_pdf else {
        return Ok(());
    };
    let url = state.blobs.presigned_get(key, READING_LINK).await?;
    order
        .generated_content
        .get_or_insert_with(Map::new)
        .insert("pdfUrl".into(), Value::String(url));
    Ok(())
}

fn deliverable(order: &Order) -> ApiResult<()> {
    if order.status == status::AWAITING_VALIDATION && review::approved(order) {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            "Only content approved by an expert can be delivered",
        ))
    }
}

#[utoipa::path(
    patch,
    path = "/api/orders/{id}/delivered",
    tag = "Orders",
    operation_id = "markDelivered",
    summary = "Mark an order delivered (admin)",
    description = "Completes an order whose content an expert approved: the reading is typeset into a PDF (fonts embedded, text searchable, the mandala SVG drawn), stored privately, and the client is emailed the way to their sanctuaire. `generatedContent.pdfUrl` in the answer, and in every later read, is a link that works 15 minutes. `deliveryMethod` is `email` by default. Content that cannot be typeset (a mandala that is no SVG) is refused with 400 and nothing is delivered.",
    params(("id" = inline(crate::openapi::schemas::ObjectId), Path)),
    request_body = Delivery,
    responses(
        (status = 200, description = "The order as written (`userId` is the client's id).", body = crate::orders::view::OrderView),
        (status = 404, response = crate::openapi::StaffOrderNotFound),
        (status = 409, response = crate::openapi::Conflict),
    )
)]
async fn delivered(
    State(state): State<AppState>,
    caller: AuthUser,
    PathId(id): PathId<ObjectId>,
    Command(Delivery { method }, _): Command<Delivery>,
) -> ApiResult<Json<OrderView>> {
    let by = caller.str_id()?.to_owned();
    let order = found(&state, id).await?;
    deliverable(&order)?;
    let customer = customers::find(&state.store, &order.user_id).await?;
    let client = customer.as_ref().map_or(order.customer_email.clone(), |c| {
        match (c.first_name.as_deref(), c.last_name.as_deref()) {
            (Some(first), Some(last)) => format!("{first} {last}"),
            (Some(name), None) | (None, Some(name)) => name.to_owned(),
            (None, None) => c.email.clone(),
        }
    });
    let key = render_and_store(&state, &order, &client).await?;
    let mut order = moves::apply(&state.store, order, |order| {
        deliverable(order)?;
        let update = Update::new()
            .set("deliveredAt", web::time::now())
            .set("deliveryMethod", method)
            .set("readingPdf", key.as_str());
        Ok(Change::moving(status::COMPLETED, update, &by))
    })
    .await?;
    tell_the_client(&state, &order).await;
    with_reading_link(&state, &mut order).await?;
    Ok(Json(OrderView::written(order)))
}

fn invalid_method() -> ApiError {
    ApiError::bad_request(format!(
        "deliveryMethod must be one of {}",
        DELIVERY_METHODS.join(", ")
    ))
}

/// How the reading reaches its client (by email unless the body says otherwise).
#[derive(utoipa::ToSchema)]
#[schema(as = DeliveredRequest, example = json!({"deliveryMethod": "email"}))]
struct Delivery {
    #[schema(rename = "deliveryMethod", value_type = Option<crate::openapi::schemas::DeliveryMethod>, inline)]
    method: &'static str,
}

impl TryFrom<&Map<String, Value>> for Delivery {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> ApiResult<Self> {
        let method = match body.get("deliveryMethod") {
            None | Some(Value::Null) => "email",
            Some(Value::String(m)) => DELIVERY_METHODS
                .iter()
                .copied()
                .find(|known| known == m)
                .ok_or_else(invalid_method)?,
            Some(_) => return Err(invalid_method()),
        };
        Ok(Delivery { method })
    }
}

/// Typesets the reading off the request's thread and stores it; its key.
async fn render_and_store(state: &AppState, order: &Order, client: &str) -> ApiResult<String> {
    let readings = state.readings.clone();
    let (job, name) = (order.clone(), client.to_owned());
    let started = std::time::Instant::now();
    let rendered = tokio::task::spawn_blocking(move || readings.render(&job, &name))
        .await
        .map_err(ApiError::internal)?;
    let pdf = rendered.map_err(|reason| {
        // The content is the staff's: a mandala that is no SVG, for one.
        tracing::warn!(order = %order.id, %reason, "reading not typeset");
        ApiError::bad_request("The reading could not be typeset").with_details(reason)
    })?;
    tracing::info!(
        order = %order.id,
        bytes = pdf.len(),
        render_ms = started.elapsed().as_millis() as u64,
        "reading typeset"
    );
    let key = format!(
        "orders/{}/reading-{}.pdf",
        order.id,
        uuid::Uuid::new_v4().simple()
    );
    state.blobs.put(&key, pdf.into(), "application/pdf").await?;
    Ok(key)
}

/// The delivery email. The order is delivered whether or not it leaves: a failure is logged
/// for the staff, never the client's error.
async fn tell_the_client(state: &AppState, order: &Order) {
    let link = &state.config.sanctuaire.link_url;
    let email = Email {
        to: order.customer_email.clone(),
        subject: format!(
            "Votre lecture Oracle Lumira {} est prête",
            order.order_number
        ),
        text: format!(
            "Bonjour,\n\nVotre lecture « {} » est prête. Retrouvez-la, avec son PDF, dans votre \
             sanctuaire : {link}\n\nOracle Lumira",
            order.level_name
        ),
        html: None,
    };
    if let Err(e) = state.mail.send_email(email).await {
        tracing::warn!(order = %order.id, error = %e, "delivery email not sent");
    }
}
