//! `POST /api/payments/create-checkout/` (`cvbuilder.md` 4.1): Stripe Checkout for one résumé (`single`, 4.99 €)
//! or a subscription (`monthly`, 9.99 €; `yearly`, 99.99 €). The session carries in its
//! metadata what it pays for (the résumé, the user), which the webhook reads back; the client
//! coming back to `success_url` proves nothing.

use crate::AppState;
use crate::forms;
use crate::resumes::Resume;
use crate::resumes::routes::owned;
use axum::Json;
use axum::extract::State;
use payments::{CheckoutMode, Interval, NewCheckout};
use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use web::auth::Principal;
use web::error::ErrorKind;
use web::extract::Command;
use web::rate_limit::WriteGate;
use web::route;
use web::routes::{Access, Endpoint};
use web::validate::{DJANGO, Fields};
use web::{ApiError, ApiResult};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        // A checkout for a résumé needs its owner; a subscription, a user (checked inside).
        // It reads them beside its rate-limit counts, and waits for them before calling Stripe.
        route!(create_checkout, Access::Optional).early_reads(),
    ]
}

/// What can be bought (annexes B and C), in euro cents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purchase {
    /// One résumé, without the watermark, for good.
    Single,
    Monthly,
    Yearly,
}

impl Purchase {
    pub const NAMES: &[&str] = &["single", "monthly", "yearly"];

    pub fn parse(name: &str) -> Option<Purchase> {
        match name {
            "single" => Some(Purchase::Single),
            "monthly" => Some(Purchase::Monthly),
            "yearly" => Some(Purchase::Yearly),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Purchase::Single => "single",
            Purchase::Monthly => "monthly",
            Purchase::Yearly => "yearly",
        }
    }

    pub fn price_cents(self) -> i64 {
        match self {
            Purchase::Single => 499,
            Purchase::Monthly => 999,
            Purchase::Yearly => 9999,
        }
    }

    fn product_name(self) -> &'static str {
        match self {
            Purchase::Single => "CV Builder — un CV sans filigrane",
            Purchase::Monthly => "CV Builder Premium — mensuel",
            Purchase::Yearly => "CV Builder Premium — annuel",
        }
    }

    fn mode(self) -> CheckoutMode {
        match self {
            Purchase::Single => CheckoutMode::Payment,
            Purchase::Monthly => CheckoutMode::Subscription(Interval::Month),
            Purchase::Yearly => CheckoutMode::Subscription(Interval::Year),
        }
    }
}

fn purchase(value: &Value) -> forms::FieldResult<Purchase> {
    let name = value.as_str().ok_or("Not a valid string.")?;
    Purchase::parse(name).ok_or_else(|| format!("\"{name}\" is not a valid choice.").into())
}

fn url(value: &Value) -> forms::FieldResult<String> {
    forms::optional_url(value, 2000)?.ok_or_else(|| "This field may not be blank.".into())
}

/// The checkout asked for: what is bought, and where Stripe sends the client back.
#[derive(utoipa::ToSchema)]
#[schema(as = CheckoutRequest)]
struct Asked {
    #[schema(rename = "payment_type", value_type = crate::openapi::bodies::CheckoutPaymentType, inline)]
    purchase: Purchase,
    /// Required for `single`.
    #[schema(example = json!(1), minimum = 1, nullable = false)]
    resume_id: Option<i64>,
    #[schema(example = json!("http://localhost:3000/payment/success"), max_length = 2000, pattern = "^https?://([A-Za-z0-9.-]*[A-Za-z0-9-]\\.[A-Za-z0-9-]+|localhost)(:[0-9]+)?([/?#][!-~]*)?$")]
    success_url: String,
    #[schema(example = json!("http://localhost:3000/payment/cancel"), max_length = 2000, pattern = "^https?://([A-Za-z0-9.-]*[A-Za-z0-9-]\\.[A-Za-z0-9-]+|localhost)(:[0-9]+)?([/?#][!-~]*)?$")]
    cancel_url: String,
}

impl TryFrom<&Map<String, Value>> for Asked {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> ApiResult<Asked> {
        read(body)
    }
}

fn read(body: &Map<String, Value>) -> ApiResult<Asked> {
    let mut fields = Fields::new(body, &DJANGO);
    let purchase = fields.required_with("payment_type", purchase);
    let resume_id = match purchase {
        Some(Purchase::Single) => fields.required_with("resume_id", forms::primary_key),
        // A subscription is the user's, not a résumé's: an id sent with one is ignored.
        _ => None,
    };
    let success_url = fields.required_with("success_url", url);
    let cancel_url = fields.required_with("cancel_url", url);
    fields.finish()?;
    match (purchase, success_url, cancel_url) {
        (Some(purchase), Some(success_url), Some(cancel_url)) => Ok(Asked {
            purchase,
            resume_id,
            success_url,
            cancel_url,
        }),
        _ => Err(ApiError::bad_request("invalid checkout")),
    }
}

/// The same checkout asked again within the hour (a double click, a retry) gets the same
/// session; another hour, or other return addresses, a new one. Ids are only unique within
/// one deployment, and two deployments may share a Stripe account (staging and a laptop on
/// one test key): the deployment's webhook secret, hashed, keeps their keys apart.
fn idempotency_key(asked: &Asked, payer: &str, deployment: Option<&str>) -> String {
    let hour = chrono::Utc::now().timestamp() / 3600;
    let hex = |parts: &[&str]| {
        let mut hash = Sha256::new();
        for part in parts {
            hash.update(part.as_bytes());
            hash.update(b"\n");
        }
        format!("{:x}", hash.finalize())
    };
    let urls = hex(&[&asked.success_url, &asked.cancel_url]);
    let scope = match deployment {
        Some(secret) => format!("cvbuilder-{}", &hex(&[secret])[..12]),
        None => "cvbuilder".to_owned(),
    };
    let purpose = format!(
        "checkout-{}-{hour}-{}",
        asked.purchase.as_str(),
        &urls[..16]
    );
    payments::idempotency_key(&scope, payer, &purpose)
}

#[utoipa::path(
    post,
    path = "/api/payments/create-checkout/",
    tag = "Payments",
    operation_id = "createCheckout",
    summary = "A Stripe Checkout page",
    description = "`single` (4.99 €) pays for one résumé, which must be the caller's (a signed-in user's or the anonymous session's): another's, or a missing one, is `{\"resume_id\": [\"Resume with id 999 does not exist.\"]}`. `monthly` (9.99 €) and `yearly` (99.99 €) subscribe the signed-in user (401 without a token). The session's metadata name the résumé or the user; the webhook, not the return to `success_url`, unlocks them. The same checkout asked twice within the hour answers the same page. 503 when no Stripe key is configured.",
    request_body = Asked,
    responses(
        (status = 200, description = "Where to send the client.", body = CheckoutUrl),
    )
)]
async fn create_checkout(
    State(state): State<AppState>,
    principal: Principal,
    mut gate: WriteGate,
    Command(asked, _): Command<Asked>,
) -> ApiResult<Json<CheckoutUrl>> {
    let mut metadata = BTreeMap::from([(
        "payment_type".to_owned(),
        asked.purchase.as_str().to_owned(),
    )]);
    let user = match &principal {
        Principal::User(user) => Some(user.int_id()?),
        Principal::Anonymous(_) => None,
    };
    if let Some(user) = user {
        metadata.insert("user_id".into(), user.to_string());
    }
    // Read together, beside the request's rate-limit counts.
    let (resume, customer_email) = tokio::join!(
        resume_paid_for(&state, &principal, asked.resume_id),
        email_of(&state, user)
    );
    let payer = match (resume?, user) {
        (Some(resume), _) => {
            metadata.insert("resume_id".into(), resume.id.to_string());
            format!("resume-{}", resume.id)
        }
        (None, Some(user)) => format!("user-{user}"),
        // A subscription makes a user premium: there must be one.
        (None, None) => return Err(ApiError::of(ErrorKind::MissingToken)),
    };
    let customer_email = customer_email?;
    let checkout = NewCheckout {
        mode: asked.purchase.mode(),
        amount: asked.purchase.price_cents(),
        currency: "eur".into(),
        product_name: asked.purchase.product_name().into(),
        success_url: asked.success_url.clone(),
        cancel_url: asked.cancel_url.clone(),
        client_reference_id: Some(payer.clone()),
        customer_email,
        idempotency_key: idempotency_key(
            &asked,
            &payer,
            state.config.stripe.webhook_secret.as_deref(),
        ),
        metadata,
    };
    // Stripe is called only for a request the rate limits let through.
    gate.open().await?;
    let session = state.gateway.create_checkout(&checkout).await?;
    let url = session
        .url
        .ok_or_else(|| ApiError::internal("Stripe answered a checkout session without its URL"))?;
    Ok(Json(CheckoutUrl { url }))
}

/// Where to send the client: Stripe's Checkout page.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CheckoutUrl {
    #[schema(format = "uri", example = json!("https://checkout.stripe.com/c/pay/cs_test_a1b2c3d4e5f6g7h8i9j0"))]
    url: String,
}

/// The résumé a `single` checkout pays for: the caller's own; another's is as unknown as a
/// missing one.
async fn resume_paid_for(
    state: &AppState,
    principal: &Principal,
    id: Option<i64>,
) -> ApiResult<Option<Resume>> {
    let Some(id) = id else {
        return Ok(None);
    };
    match owned(state, principal, id).await {
        Ok(resume) => Ok(Some(resume)),
        Err(e) if e.kind == ErrorKind::NotFound => Err(ApiError::field(
            "resume_id",
            format!("Resume with id {id} does not exist."),
        )),
        Err(e) => Err(e),
    }
}

/// The signed-in payer's email, which Stripe's page fills in.
async fn email_of(state: &AppState, user: Option<i64>) -> ApiResult<Option<String>> {
    Ok(match user {
        Some(id) => crate::users::find(&state.store, id).await?.map(|u| u.email),
        None => None,
    })
}
