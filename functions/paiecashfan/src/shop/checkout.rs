//! `checkout(total)`: the cart paid from the wallet. The client sends the total it showed;
//! a cart whose real total differs (a price or the cart changed since) is refused. Then the
//! wallet's debit, each product's stock, the order and the emptied cart are one transaction:
//! a piece that is not there, funds that are not there, or a cart changed meanwhile, and
//! nothing is written.

use super::cart::{self, Item};
use crate::AppState;
use crate::amount::euros;
use crate::ledger::{self, Account, Entry, Kind};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use store::{Cond, Key, Placement, TxOp, Update};
use web::auth::AuthUser;
use web::extract::Command;
use web::money::Money;
use web::validate::{FRENCH, Fields};
use web::{ApiError, ApiResult};

const STOCK: &str = "stock";
const CART_LINE: &str = "cart_line";

fn orders_partition(user: &str) -> String {
    format!("ORDERS#{user}")
}

/// The orders of `user`, oldest first.
pub async fn orders(state: &AppState, user: &str) -> ApiResult<Vec<Order>> {
    let query = store::Query::partition(super::BY_CLUB, orders_partition(user));
    web::item::all(&state.store, query).await
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = MyOrders)]
pub(super) struct Mine {
    /// Les plus récentes d'abord.
    orders: Vec<Order>,
}

#[utoipa::path(
    get,
    path = "/api/shop/orders",
    tag = "Shop",
    operation_id = "getOrders",
    summary = "Mes commandes",
    description = "Les commandes de l'appelant, les plus récentes d'abord, avec leurs articles et l'écriture du grand livre qui les a payées (hors document : un fan qui a payé retrouve ses commandes).",
    responses((status = 200, description = "Les commandes.", body = Mine))
)]
pub(super) async fn mine(State(state): State<AppState>, caller: AuthUser) -> ApiResult<Json<Mine>> {
    let mut orders = orders(&state, &caller.id.to_string()).await?;
    orders.reverse();
    Ok(Json(Mine { orders }))
}

// `POST /api/shop/checkout`: `checkout(total)`.
#[derive(utoipa::ToSchema)]
#[schema(as = CheckoutRequest, example = json!({"total": 179.98}))]
pub struct Payment {
    /// Le total que le client a affiché, en euros.
    #[schema(value_type = f64, minimum = 0.01, multiple_of = 0.01)]
    total: Money,
}

impl TryFrom<&Map<String, Value>> for Payment {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut fields = Fields::new(body, &FRENCH);
        let total = fields.required_with("total", euros);
        fields.finish()?;
        total
            .map(|total| Payment { total })
            .ok_or_else(|| ApiError::internal("a total refused without a message"))
    }
}

/// An order as stored and answered.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = ShopOrder)]
pub struct Order {
    #[schema(example = json!("6a1f0c2d-8b3e-4f5a-9c7d-1e2f3a4b5c6d"))]
    pub id: String,
    #[schema(value_type = Vec<Item>)]
    pub items: Vec<serde_json::Value>,
    #[schema(value_type = f64, example = json!(179.98))]
    pub total: Money,
    /// L'écriture du grand livre qui l'a payée.
    pub entry_id: String,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    pub created_at: String,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = CheckoutDone)]
pub(super) struct Placed {
    order: Order,
}

#[utoipa::path(
    post,
    path = "/api/shop/checkout",
    tag = "Shop",
    operation_id = "checkout",
    summary = "Payer le panier",
    description = "`checkout(total)` : `total` est celui que le client a affiché ; s'il diffère du total réel du panier (un prix ou le panier a changé), 409 avec le total réel. Puis, en une transaction : le portefeuille débité, le stock de chaque produit décrémenté, la commande écrite et le panier vidé.",
    request_body = Payment,
    responses(
        (status = 201, description = "Commande passée.", body = Placed),
        (status = 400, description = "Total invalide, panier vide ou solde insuffisant.", body = crate::openapi::schemas::Error, example = json!({"error": {"code": "rejected", "message": "Le panier est vide"}})),
        (status = 409, description = "Le total affiché n'est plus celui du panier, ou le stock a manqué.", body = crate::openapi::schemas::Error, example = json!({"error": {"code": "conflict", "message": "Le total du panier a changé", "details": {"total": 179.98}}})),
    )
)]
pub(super) async fn checkout(
    State(state): State<AppState>,
    caller: AuthUser,
    Command(Payment { total: shown }, _): Command<Payment>,
) -> ApiResult<(StatusCode, Json<Placed>)> {
    let user = caller.id.to_string();
    let (lines, cart) = cart::read(&state, &user).await?;
    if cart.items.is_empty() {
        return Err(ApiError::bad_request("Le panier est vide"));
    }
    if cart.items.len() != lines.len() {
        return Err(ApiError::conflict(
            "Un produit du panier n'est plus en vente",
        ));
    }
    if cart.total != shown {
        return Err(ApiError::conflict("Le total du panier a changé")
            .with_details(json!({"total": cart.total.minor() as f64 / 100.0})));
    }
    let entry = Entry::new(
        Account::wallet(&user),
        Account::revenue("shop"),
        cart.total,
        Kind::Shop,
        format!(
            "Boutique : {} article(s)",
            cart.items.iter().map(|i| i.quantity).sum::<i64>()
        ),
    );
    let now = web::time::now();
    let order = Order {
        id: uuid::Uuid::new_v4().to_string(),
        items: cart
            .items
            .iter()
            .map(|item| serde_json::to_value(item).map_err(ApiError::internal))
            .collect::<ApiResult<_>>()?,
        total: cart.total,
        entry_id: entry.id.clone(),
        created_at: now.clone(),
    };
    let mut ops = ledger::posted(&entry)?;
    for line in &lines {
        ops.push((
            STOCK,
            TxOp::Update {
                key: super::key(&line.product_id),
                update: Update::new().add("stock", -line.quantity),
                cond: Some(Cond::ge("stock", line.quantity)),
            },
        ));
        ops.push((
            CART_LINE,
            TxOp::Delete {
                key: cart::line_key(&user, &line.product_id),
                cond: Some(Cond::eq("quantity", line.quantity)),
            },
        ));
    }
    let item = Placement::new(Key::new(format!("ORDER#{}", order.id), "ORDER"))
        .listed(
            super::BY_CLUB,
            orders_partition(&user),
            format!("{now}#{}", order.id),
        )
        .item(web::item::record(&order)?);
    ops.push((
        "order",
        TxOp::Put {
            item,
            cond: Some(Cond::NotExists),
        },
    ));
    match ledger::commit(&state.store, ops).await {
        Ok(()) => Ok((StatusCode::CREATED, Json(Placed { order }))),
        Err(e) if e.failed(ledger::FUNDS) => Err(ledger::insufficient_funds()),
        Err(e) if e.failed(STOCK) => Err(ApiError::conflict("Stock insuffisant")),
        Err(e) if e.failed(CART_LINE) => Err(ApiError::conflict("Le panier a changé")),
        Err(e) => Err(e.into()),
    }
}
