//! Deposits: `depositMoney(amount)` makes a Stripe PaymentIntent in euros through the shared
//! Stripe module and records the deposit as pending; only Stripe's signed webhook credits the
//! wallet, with a ledger entry whose id is the deposit's, once per deposit however often the
//! event comes. Without Stripe configured the route answers 503: no fake credit.
//!
//! Items: `DEPOSIT#<id>` (its owner, amount, intent and status).

use crate::AppState;
use crate::amount::euros;
use crate::ledger::{self, Account, Entry, Kind};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use payments::{NewIntent, idempotency_key};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use store::{Cond, DynStore, Key, TxOp, Update};
use web::auth::AuthUser;
use web::error::ErrorKind;
use web::extract::{Command, RawBody};
use web::money::Money;
use web::route;
use web::routes::{Access, Endpoint};
use web::validate::{FRENCH, Fields};
use web::webhook::{self, ONCE_STEP, once};
use web::{ApiError, ApiResult};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(deposit, Access::AnyUser),
        route!(receive, Access::Signed),
    ]
}

/// A deposit as stored.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Deposit {
    pub id: String,
    pub user_id: String,
    /// In cents.
    pub amount: i64,
    pub payment_intent_id: String,
    /// `pending`, `succeeded`, `failed`, `canceled`.
    pub status: String,
    pub created_at: String,
    pub updated_at: String,
}

fn key(id: &str) -> Key {
    Key::new(format!("DEPOSIT#{id}"), "DEPOSIT")
}

// `POST /api/wallet/deposit`: `depositMoney(amount)`.
#[derive(utoipa::ToSchema)]
#[schema(as = DepositRequest, example = json!({"amount": 50}))]
pub struct NewDeposit {
    /// En euros, deux décimales au plus, supérieur à zéro.
    #[schema(value_type = f64, minimum = 0.01, multiple_of = 0.01)]
    amount: Money,
}

impl TryFrom<&Map<String, Value>> for NewDeposit {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut fields = Fields::new(body, &FRENCH);
        let amount = fields.required_with("amount", euros);
        fields.finish()?;
        amount
            .map(|amount| NewDeposit { amount })
            .ok_or_else(|| ApiError::internal("an amount refused without a message"))
    }
}

// A deposit waiting for its payment.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = DepositStarted)]
struct Started {
    #[schema(example = json!("8f0b1c1e-3a0e-4c55-9d7e-5a4f7e2b9c10"))]
    id: String,
    #[schema(value_type = f64, example = json!(50.0))]
    amount: Money,
    #[schema(example = json!("EUR"))]
    currency: &'static str,
    /// `pending` jusqu'à la confirmation de Stripe.
    #[schema(example = json!("pending"))]
    status: &'static str,
    #[schema(example = json!("pi_3OZ..."))]
    payment_intent_id: String,
    /// Pour le formulaire de paiement Stripe du client.
    #[schema(example = json!("pi_3OZ..._secret_..."))]
    client_secret: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/wallet/deposit",
    tag = "Wallet",
    operation_id = "depositMoney",
    summary = "Déposer de l'argent",
    description = "`depositMoney(amount)` : crée un PaymentIntent Stripe en euros et le dépôt, `pending`. Le portefeuille n'est crédité que par le webhook signé de Stripe, une fois. Sans Stripe configuré : 503, rien n'est écrit.",
    request_body = NewDeposit,
    responses(
        (status = 201, description = "Dépôt créé, en attente du paiement.", body = Started),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 503, description = "Les paiements ne sont pas configurés.", body = crate::openapi::schemas::Error, example = json!({"error": {"code": "unavailable", "message": "Les paiements ne sont pas configurés"}})),
    )
)]
async fn deposit(
    State(state): State<AppState>,
    caller: AuthUser,
    Command(NewDeposit { amount }, _): Command<NewDeposit>,
) -> ApiResult<(StatusCode, Json<Started>)> {
    let user_id = caller.id.to_string();
    let id = uuid::Uuid::new_v4().to_string();
    let metadata = BTreeMap::from([
        ("depositId".to_owned(), id.clone()),
        ("userId".to_owned(), user_id.clone()),
    ]);
    let intent = state
        .gateway
        .create_intent(&NewIntent {
            amount: amount.minor(),
            currency: "eur".into(),
            metadata,
            idempotency_key: idempotency_key("paiecashfan-deposit", &id, "intent"),
        })
        .await
        .map_err(web::stripe::gateway_refusal_in_french)?;
    let now = web::time::now();
    let record = Deposit {
        id: id.clone(),
        user_id,
        amount: amount.minor(),
        payment_intent_id: intent.id.clone(),
        status: "pending".into(),
        created_at: now.clone(),
        updated_at: now,
    };
    let item = store::Placement::new(key(&id)).item(web::item::record(&record)?);
    // An intent whose deposit failed to be written credits nothing: its webhook finds no
    // deposit, and the client never got its secret.
    state.store.put(item, Some(Cond::NotExists)).await?;
    Ok((
        StatusCode::CREATED,
        Json(Started {
            id,
            amount,
            currency: crate::wallet::CURRENCY,
            status: "pending",
            payment_intent_id: intent.id,
            client_secret: intent.client_secret,
        }),
    ))
}

#[derive(Deserialize)]
struct Intent {
    id: String,
    #[serde(default)]
    amount: Option<i64>,
    #[serde(default)]
    currency: Option<String>,
    #[serde(default)]
    metadata: BTreeMap<String, String>,
}

// What PaieCashFan reads of a Stripe event.
#[derive(utoipa::ToSchema)]
#[schema(as = StripeEvent)]
#[allow(dead_code)] // described, never built: the body is read as it came
struct Described {
    #[schema(example = json!("evt_1OZ..."))]
    id: String,
    /// `payment_intent.succeeded`, `payment_intent.payment_failed`, `payment_intent.canceled` ; les autres sont acquittés et ignorés.
    #[schema(rename = "type", example = json!("payment_intent.succeeded"))]
    kind: String,
    /// `data.object` : le PaymentIntent (`id`, `amount`, `currency`, `metadata.depositId`).
    data: BTreeMap<String, serde_json::Value>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct Received {
    #[schema(example = json!(true))]
    received: bool,
}

/// The deposit status an event reports.
fn reported(kind: &str) -> Option<&'static str> {
    match kind {
        "payment_intent.succeeded" => Some("succeeded"),
        "payment_intent.payment_failed" => Some("failed"),
        "payment_intent.canceled" => Some("canceled"),
        _ => None,
    }
}

#[utoipa::path(
    post,
    path = "/api/wallet/webhook",
    tag = "Wallet",
    operation_id = "depositsWebhook",
    summary = "Webhook Stripe",
    description = "Appelé par Stripe seulement. La signature (`Stripe-Signature`, HMAC-SHA256 du corps brut, 300 s de tolérance) est vérifiée avant tout. `payment_intent.succeeded` crédite le portefeuille par une écriture du grand livre dont l'identifiant est celui du dépôt, dans la transaction qui marque le dépôt : un renvoi, ou un autre événement du même paiement, ne crédite rien.",
    params(("Stripe-Signature" = String, Header, example = "t=1700000000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd")),
    request_body = Described,
    responses(
        (status = 200, description = "Reçu.", body = Received),
        (status = 400, description = "Signature absente, fausse ou trop ancienne, ou corps illisible.", body = crate::openapi::schemas::Error),
        (status = 503, description = "Aucun secret de webhook n'est configuré.", body = crate::openapi::schemas::Error),
    )
)]
async fn receive(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> ApiResult<Json<Received>> {
    let Some(secret) = state.config.stripe.webhook_secret.as_deref() else {
        return Err(ApiError::new(
            ErrorKind::Unavailable,
            "Les webhooks ne sont pas configurés",
        ));
    };
    let event: webhook::Event<Value> = webhook::verified_event(Some(secret), &headers, &body)?;
    let received = Json(Received { received: true });
    let Some(status) = reported(&event.kind) else {
        return Ok(received);
    };
    let intent: Intent = serde_json::from_value(event.data.object)
        .map_err(|_| ApiError::bad_request("Événement illisible"))?;
    let Some(deposit_id) = intent.metadata.get("depositId") else {
        tracing::info!(event = %event.id, intent = %intent.id, "not a deposit: ignored");
        return Ok(received);
    };
    let outcome = settle(&state.store, deposit_id, &event.id, &intent, status).await?;
    tracing::info!(event = %event.id, deposit = %deposit_id, outcome, "deposit event");
    Ok(received)
}

/// Applies Stripe's word to the deposit `id`; what happened, for the log.
async fn settle(
    store: &DynStore,
    id: &str,
    event_id: &str,
    intent: &Intent,
    status: &'static str,
) -> ApiResult<&'static str> {
    let Some(item) = store.get(&key(id)).await? else {
        return Ok("no such deposit");
    };
    let deposit: Deposit = web::item::parse(item)?;
    let currency_differs = intent
        .currency
        .as_deref()
        .is_some_and(|c| !c.eq_ignore_ascii_case("eur"));
    if deposit.payment_intent_id != intent.id
        || intent.amount.is_some_and(|a| a != deposit.amount)
        || currency_differs
    {
        return Ok("another intent or amount");
    }
    if deposit.status != "pending" {
        return Ok("settled already");
    }
    let update = Update::new()
        .set("status", status)
        .set("updatedAt", web::time::now());
    let mut ops = vec![
        (ONCE_STEP, once("stripe", event_id)),
        (
            "deposit",
            TxOp::Update {
                key: key(id),
                update,
                cond: Some(Cond::eq("status", "pending")),
            },
        ),
    ];
    if status == "succeeded" {
        let mut entry = Entry::new(
            Account::deposits(),
            Account::wallet(&deposit.user_id),
            Money::from_minor(deposit.amount),
            Kind::Deposit,
            "Dépôt par carte".to_owned(),
        );
        // One credit per deposit, whatever delivers it.
        entry.id = format!("deposit-{}", deposit.id);
        ops.extend(ledger::posted(&entry)?);
    }
    match ledger::commit(store, ops).await {
        Ok(()) => Ok(status),
        Err(e) if e.failed(ONCE_STEP) => Ok("replayed"),
        Err(e) if e.failed("deposit") || e.failed(ledger::ONCE) => Ok("settled already"),
        Err(e) => Err(e.into()),
    }
}
