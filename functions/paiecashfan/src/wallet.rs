//! The fan's wallet (`/api/wallet`): its balance, its history, and transfers between fans,
//! each one ledger entry written with both balances (`crate::ledger`).

use crate::AppState;
use crate::amount::euros;
use crate::ledger::{self, Account, Entry, EntryView, Kind};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use web::auth::AuthUser;
use web::extract::{Command, Query, Sent};
use web::idempotency::{self, IdempotencyKey};
use web::money::Money;
use web::pagination::{self, Pager};
use web::route;
use web::routes::{Access, Endpoint};
use web::validate::{FRENCH, Fields};
use web::{ApiError, ApiResult};

/// The wallets' currency.
pub const CURRENCY: &str = "EUR";

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(balance, Access::AnyUser),
        route!(transactions, Access::AnyUser),
        route!(send, Access::AnyUser).headers(&[idempotency::HEADER]),
    ]
}

// `GET /api/wallet/balance`.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Balance)]
struct BalanceView {
    /// En euros.
    #[schema(value_type = f64, example = json!(150.0))]
    balance: Money,
    #[schema(example = json!("EUR"))]
    currency: &'static str,
}

#[utoipa::path(
    get,
    path = "/api/wallet/balance",
    tag = "Wallet",
    operation_id = "getWalletBalance",
    summary = "Solde",
    description = "Le solde du portefeuille de l'appelant, somme exacte de ses écritures.",
    responses((status = 200, description = "Le solde.", body = BalanceView))
)]
async fn balance(State(state): State<AppState>, caller: AuthUser) -> ApiResult<Json<BalanceView>> {
    let wallet = Account::wallet(&caller.id.to_string());
    let cents = ledger::balance(&state.store, &wallet).await?;
    Ok(Json(BalanceView {
        balance: Money::from_minor(cents),
        currency: CURRENCY,
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Page {
    /// Page (à partir de 1).
    #[param(value_type = Option<i64>, minimum = 1)]
    page: Option<String>,
    /// Mouvements par page (20 par défaut, 100 au plus).
    #[param(value_type = Option<i64>, minimum = 1, default = 20)]
    limit: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = TransactionPage)]
struct Pagination {
    page: u32,
    limit: u32,
    total: u64,
    total_pages: u64,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Transactions)]
struct History {
    /// Les plus récents d'abord.
    transactions: Vec<EntryView>,
    pagination: Pagination,
}

#[utoipa::path(
    get,
    path = "/api/wallet/transactions",
    tag = "Wallet",
    operation_id = "getTransactions",
    summary = "Historique",
    description = "Les mouvements du portefeuille, les plus récents d'abord : dépôts, transferts reçus et envoyés, achats, remboursements.",
    params(Page),
    responses(
        (status = 200, description = "Une page de mouvements.", body = History),
        (status = 400, response = crate::openapi::BadRequest),
    )
)]
async fn transactions(
    State(state): State<AppState>,
    caller: AuthUser,
    Query(page): Query<Page>,
) -> ApiResult<Json<History>> {
    let pager = Pager::parse(page.page.as_deref(), page.limit.as_deref(), 20)?;
    let wallet = Account::wallet(&caller.id.to_string());
    let query = store::Query::partition(store::Index::Table, wallet.postings()).backward();
    let (items, total) = tokio::try_join!(
        pagination::read_page(&state.store, query, pager),
        ledger::postings(&state.store, &wallet),
    )?;
    let transactions = items
        .into_iter()
        .map(|item| web::item::parse::<ledger::Posting>(item).map(EntryView::from))
        .collect::<ApiResult<_>>()?;
    Ok(Json(History {
        transactions,
        pagination: Pagination {
            page: pager.page,
            limit: pager.limit,
            total,
            total_pages: pager.total_pages(total),
        },
    }))
}

// `POST /api/wallet/send`: `sendMoney(recipientId, amount)`.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "camelCase")]
#[schema(as = SendRequest, example = json!({"recipientId": "5f1c2a9e-8d3b-4c7a-9e21-3b8f6d0c4a11", "amount": 25.5}))]
pub struct Transfer {
    /// Le fan qui reçoit.
    recipient_id: String,
    /// En euros, deux décimales au plus, supérieur à zéro.
    #[schema(value_type = f64, minimum = 0.01, multiple_of = 0.01)]
    amount: Money,
}

impl TryFrom<&Map<String, Value>> for Transfer {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut fields = Fields::new(body, &FRENCH);
        let amount = fields.required_with("amount", euros);
        let recipient_id = fields.required_str("recipientId");
        match (recipient_id, amount) {
            (Some(recipient_id), Some(amount)) => {
                fields.finish()?;
                Ok(Transfer {
                    recipient_id: recipient_id.to_owned(),
                    amount,
                })
            }
            _ => Err(fields.into_error()),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = TransferDone)]
struct TransferDone {
    /// L'écriture, telle que l'historique de l'envoyeur la montre.
    transaction: EntryView,
}

#[utoipa::path(
    post,
    path = "/api/wallet/send",
    tag = "Wallet",
    operation_id = "sendMoney",
    summary = "Envoyer de l'argent",
    description = "`sendMoney(recipientId, amount)` : une écriture du portefeuille de l'appelant vers celui du destinataire, dans la transaction qui déplace les deux soldes ; rien ne bouge si le solde ne couvre pas le montant. Avec `Idempotency-Key`, une requête renvoyée (même clé, même corps) répond la première réponse sans rien déplacer ; la même clé avec un autre corps répond 409.",
    params(("Idempotency-Key" = Option<String>, Header, description = "1 à 255 caractères ASCII visibles, gardée 24 heures.")),
    request_body = Transfer,
    responses(
        (status = 201, description = "Envoyé.", body = TransferDone),
        (status = 400, description = "Montant invalide, envoi à soi-même ou solde insuffisant.", body = crate::openapi::schemas::Error, example = json!({"error": {"code": "rejected", "message": "Solde insuffisant"}})),
        (status = 404, description = "Aucun fan n'a cet identifiant.", body = crate::openapi::schemas::Error, example = json!({"error": {"code": "not_found", "message": "Destinataire introuvable"}})),
        (status = 409, description = "Clé Idempotency-Key déjà utilisée avec un autre corps.", body = crate::openapi::schemas::Error),
    )
)]
async fn send(
    State(state): State<AppState>,
    caller: AuthUser,
    idempotency: IdempotencyKey,
    Command(transfer, Sent(body)): Command<Transfer>,
) -> ApiResult<Response> {
    let sender = caller.id.to_string();
    if transfer.recipient_id == sender {
        return Err(ApiError::bad_request(
            "Vous ne pouvez pas vous envoyer de l'argent",
        ));
    }
    if uuid::Uuid::parse_str(&transfer.recipient_id).is_err() {
        return Err(recipient_unknown());
    }
    let retry = idempotency.scoped("wallet-send", &caller.id, &body);
    if let Some(retry) = &retry
        && let Some(first) = retry.earlier(&state.store).await?
    {
        return Ok(first);
    }
    let entry = Entry::new(
        Account::wallet(&sender),
        Account::wallet(&transfer.recipient_id),
        transfer.amount,
        Kind::Transfer,
        "Transfert entre fans".to_owned(),
    );
    let answer = TransferDone {
        transaction: EntryView::sent(&entry),
    };
    let mut ops = ledger::posted(&entry)?;
    if let Some(retry) = &retry {
        // First: a retry whose first try got there first must fail on it, not on the funds.
        let record = retry.record(StatusCode::CREATED, &answer)?;
        ops.insert(0, (idempotency::STEP, record));
    }
    match ledger::commit(&state.store, ops).await {
        Ok(()) => Ok((StatusCode::CREATED, Json(answer)).into_response()),
        Err(e) if e.failed(ledger::FUNDS) => Err(ledger::insufficient_funds()),
        Err(e) if e.failed(ledger::RECIPIENT) => Err(recipient_unknown()),
        Err(e) => idempotency::settle(retry.as_ref(), &state.store, e).await,
    }
}

fn recipient_unknown() -> ApiError {
    ApiError::not_found("Destinataire introuvable")
}
