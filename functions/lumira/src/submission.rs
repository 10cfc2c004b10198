//! The client's submission (`lumira.md`, "Soumission Client Directe"): once paid, the client
//! sends what the reading needs, by payment intent id, as `multipart/form-data`: `formData`
//! (a JSON object) and optional `facePhoto` and `palmPhoto`, typed by their content (JPEG,
//! PNG, WebP, HEIC), at most 3 MB each. Photos are stored privately in the blob store, under
//! the order; the order keeps their `files` entries. A new submission replaces the last, until
//! the reading is being written.

use crate::AppState;
use crate::customers;
use crate::order_admin::order_not_found;
use crate::orders::moves::{self, Change};
use crate::orders::{self, IntentId, Order, status};
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use serde_json::{Map, Value, json};
use store::Update;
use web::extract::PathId;
use web::route;
use web::routes::{Access, Endpoint};
use web::upload::{FileRules, LAMBDA_MAX_UPLOAD_BYTES, Multipart, PHOTOS, UploadedFile};
use web::{ApiError, ApiResult};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        // The photos may be as large as a Lambda function takes.
        route!(client_submit, Access::Public).body_limit(LAMBDA_MAX_UPLOAD_BYTES),
    ]
}

const PHOTO: FileRules = FileRules {
    types: PHOTOS,
    max_bytes: 3 * 1024 * 1024,
};

/// The form's photo fields, and the type each gets in `files`.
const PHOTO_FIELDS: &[(&str, &str)] = &[("facePhoto", "face_photo"), ("palmPhoto", "palm_photo")];

/// The longest text a form field may hold, and the most fields.
const MAX_TEXT: usize = 5000;
const MAX_FIELDS: usize = 40;

/// The client's details a submission fills in on the client, when the client has none.
const CLIENT_DETAILS: &[&str] = &["firstName", "lastName", "phone", "dateOfBirth"];

fn invalid_form(reason: impl Into<String>) -> ApiError {
    ApiError::bad_request("Invalid formData").with_details(reason.into())
}

/// `formData`, checked: a JSON object of at most [`MAX_FIELDS`] fields, its texts bounded,
/// `email` an address, the names text.
fn form_data(text: Option<&String>) -> ApiResult<Map<String, Value>> {
    let text = text.ok_or_else(|| invalid_form("formData is required"))?;
    let Ok(Value::Object(mut data)) = serde_json::from_str::<Value>(text) else {
        return Err(invalid_form("formData must be a JSON object"));
    };
    if data.len() > MAX_FIELDS {
        return Err(invalid_form(format!("at most {MAX_FIELDS} fields")));
    }
    fn bounded(value: &Value) -> bool {
        match value {
            Value::String(s) => s.chars().count() <= MAX_TEXT,
            Value::Array(items) => items.len() <= MAX_FIELDS && items.iter().all(bounded),
            Value::Object(map) => map.len() <= MAX_FIELDS && map.values().all(bounded),
            _ => true,
        }
    }
    if !data.values().all(bounded) {
        return Err(invalid_form(format!(
            "texts have at most {MAX_TEXT} characters"
        )));
    }
    for name in CLIENT_DETAILS {
        match data.get(*name) {
            None | Some(Value::Null) => {}
            // Shown to staff and printed on the reading: no control or reordering characters.
            Some(Value::String(text)) if web::text::hides_or_reorders(text) => {
                return Err(invalid_form(format!(
                    "{name} may not hold control characters"
                )));
            }
            Some(Value::String(_)) => {}
            Some(_) => return Err(invalid_form(format!("{name} must be a string"))),
        }
    }
    if let Some(email) = data.get("email").filter(|v| !v.is_null()) {
        let email = email
            .as_str()
            .and_then(web::validate::email)
            .ok_or_else(|| invalid_form("email must be a valid email address"))?;
        data.insert("email".into(), Value::String(email));
    }
    Ok(data)
}

/// Stores `file` privately under the order; its `files` entry.
async fn store_photo(
    state: &AppState,
    order: &Order,
    file: &UploadedFile,
    kind: &str,
    at: &str,
) -> ApiResult<Value> {
    let filename = format!(
        "{}-{}.{}",
        file.field,
        uuid::Uuid::new_v4().simple(),
        file.extension()
    );
    let key = format!("orders/{}/{filename}", order.id);
    state
        .blobs
        .put(&key, file.bytes.clone(), file.content_type)
        .await?;
    Ok(json!({
        "filename": filename,
        "originalName": file.file_name,
        "path": key,
        "mimetype": file.content_type,
        "size": file.bytes.len(),
        "type": kind,
        "uploadedAt": at,
    }))
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct SubmittedOrder {
    #[serde(rename = "_id")]
    #[schema(example = json!("65550b2b8f1b2c3d4e5f6a7c"), pattern = "^[0-9a-f]{24}$")]
    id: String,
    order_number: String,
    #[schema(value_type = i64)]
    level: u8,
    level_name: String,
    amount: i64,
    status: String,
    #[schema(value_type = Vec<crate::openapi::schemas::SubmittedFile>)]
    files: Vec<Value>,
    #[schema(value_type = Option<Object>)]
    form_data: Option<Value>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct Submitted {
    success: bool,
    #[schema(inline)]
    order: SubmittedOrder,
}

#[utoipa::path(
    post,
    path = "/api/orders/by-payment-intent/{paymentIntentId}/client-submit",
    tag = "Orders",
    operation_id = "clientSubmit",
    summary = "The client's submission",
    description = "Once the order is paid and until its reading is being written: `formData` (a JSON object; `email` must be an address, the names text) and optional `facePhoto`, `palmPhoto` (JPEG, PNG, WebP or HEIC by their content, whatever their declared type; 3 MB each, 4 MB in all). Photos are stored privately; a new submission replaces the last. The client's names, phone and date of birth fill in what their record lacks. Public: the payment intent id is the client's proof.",
    params(("paymentIntentId" = String, Path, description = "The payment intent id (`pi_...`) or a free order's `free_<id>`.")),
    request_body(content = inline(crate::openapi::bodies::ClientSubmission), content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "Submitted.", body = Submitted),
        (status = 404, response = crate::openapi::OrderNotFound),
        (status = 409, response = crate::openapi::Conflict),
    )
)]
async fn client_submit(
    State(state): State<AppState>,
    PathId(IntentId(intent)): PathId<IntentId>,
    form: Multipart,
) -> ApiResult<Json<Submitted>> {
    let order = orders::find_by_intent(&state.store, &intent)
        .await?
        .ok_or_else(order_not_found)?;
    let taking = |order: &Order| {
        if order.status == status::PAID {
            Ok(())
        } else {
            Err(ApiError::bad_request(format!(
                "The order takes no submission while it is {}",
                order.status
            )))
        }
    };
    taking(&order)?;
    let rules: Vec<(&str, FileRules)> = PHOTO_FIELDS.iter().map(|(f, _)| (*f, PHOTO)).collect();
    let form = form.read(&rules).await?;
    let data = form_data(form.fields.get("formData"))?;
    let at = web::time::now();
    let mut files = Vec::new();
    for (field, kind) in PHOTO_FIELDS {
        if let Some(file) = form.file(field) {
            files.push(store_photo(&state, &order, file, kind, &at).await?);
        }
    }
    let replaced = order.files.clone();
    let order = moves::apply(&state.store, order, |order| {
        taking(order)?;
        let update = Update::new()
            .set("formData", Value::Object(data.clone()))
            .set("files", Value::Array(files.clone()));
        Change::fields(order, update, "client")
    })
    .await?;
    // The last submission's photos are no longer the order's.
    for old in replaced {
        if let Some(key) = old.get("path").and_then(Value::as_str)
            && let Err(e) = state.blobs.delete(key).await
        {
            tracing::warn!(%key, error = %e, "a replaced photo was left behind");
        }
    }
    fill_client_details(&state, &order, &data).await?;
    Ok(Json(Submitted {
        success: true,
        order: SubmittedOrder {
            id: order.id,
            order_number: order.order_number,
            level: order.level,
            level_name: order.level_name,
            amount: order.amount,
            status: order.status,
            files: order.files,
            form_data: order.form_data,
        },
    }))
}

/// The client's names, phone and date of birth, from their first submission: only what the
/// client does not have yet, so an admin's corrections stay.
async fn fill_client_details(
    state: &AppState,
    order: &Order,
    data: &Map<String, Value>,
) -> ApiResult<()> {
    let mut update = Update::new();
    for name in CLIENT_DETAILS {
        if let Some(Value::String(text)) = data.get(*name) {
            let text = text.trim();
            if !text.is_empty() && text.chars().count() <= 100 {
                update = update.set_if_absent(name, text);
            }
        }
    }
    if update.is_empty() {
        return Ok(());
    }
    state
        .store
        .update(
            &customers::customer_key(&order.user_id),
            update,
            Some(store::Cond::Exists),
        )
        .await?;
    Ok(())
}
