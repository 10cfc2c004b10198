//! The fan's cart: `addToCart(productId, quantity)` and the cart with its total, priced at
//! the products' current prices.

use super::{Product, find_many, unknown_product};
use crate::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use store::{Cond, DynStore, Key, Query, TxOp, Update};
use web::auth::AuthUser;
use web::extract::Command;
use web::money::Money;
use web::validate::{FRENCH, Fields};
use web::{ApiError, ApiResult};

/// Most distinct products a cart holds: its checkout is one transaction (100 writes).
pub const MAX_LINES: usize = 40;
/// Most pieces of one product in a cart.
const MAX_QUANTITY: i64 = 99;

pub fn partition(user: &str) -> String {
    format!("CART#{user}")
}

pub fn line_key(user: &str, product: &str) -> Key {
    Key::new(partition(user), format!("ITEM#{product}"))
}

/// A cart line as stored.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Line {
    pub product_id: String,
    pub quantity: i64,
}

/// A cart line as the fan reads it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = CartItem)]
pub struct Item {
    #[schema(example = json!("psg-maillot-domicile"))]
    pub product_id: String,
    #[schema(example = json!("Maillot domicile 2026"))]
    pub name: String,
    /// Prix unitaire actuel, en euros.
    #[schema(value_type = f64, example = json!(89.99))]
    pub price: Money,
    #[schema(example = json!(2))]
    pub quantity: i64,
    #[schema(value_type = f64, example = json!(179.98))]
    pub line_total: Money,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Cart {
    pub items: Vec<Item>,
    /// En euros.
    #[schema(value_type = f64, example = json!(179.98))]
    pub total: Money,
}

/// The caller's cart lines as stored, and the cart priced now (a product gone since is left
/// out of both the items and the total).
pub async fn read(state: &AppState, user: &str) -> ApiResult<(Vec<Line>, Cart)> {
    let lines: Vec<Line> = lines(&state.store, user).await?;
    let ids: Vec<String> = lines.iter().map(|l| l.product_id.clone()).collect();
    let products = find_many(state, &ids).await?;
    let mut items = Vec::new();
    let mut total: i64 = 0;
    for (line, product) in lines.iter().zip(products) {
        let Some(product) = product else { continue };
        let line_total = product.price.minor() * line.quantity;
        total += line_total;
        items.push(Item {
            product_id: product.id,
            name: product.name,
            price: product.price,
            quantity: line.quantity,
            line_total: Money::from_minor(line_total),
        });
    }
    let cart = Cart {
        items,
        total: Money::from_minor(total),
    };
    Ok((lines, cart))
}

async fn lines(store: &DynStore, user: &str) -> ApiResult<Vec<Line>> {
    web::item::all(
        store,
        Query::partition(store::Index::Table, partition(user)),
    )
    .await
}

// `POST /api/shop/cart/add`: `addToCart(productId, quantity)`.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "camelCase")]
#[schema(as = CartAddRequest, example = json!({"productId": "psg-maillot-domicile", "quantity": 1}))]
pub struct Addition {
    product_id: String,
    #[schema(minimum = 1, maximum = 99)]
    quantity: i64,
}

impl TryFrom<&Map<String, Value>> for Addition {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut fields = Fields::new(body, &FRENCH);
        let product_id = fields.required_str("productId").map(str::to_owned);
        let quantity = fields.required_with("quantity", |v| {
            v.as_i64()
                .filter(|q| (1..=MAX_QUANTITY).contains(q))
                .ok_or_else(|| format!("doit être un entier de 1 à {MAX_QUANTITY}").into())
        });
        fields.finish()?;
        match (product_id, quantity) {
            (Some(product_id), Some(quantity)) => Ok(Addition {
                product_id,
                quantity,
            }),
            _ => Err(ApiError::internal("a cart line refused without a message")),
        }
    }
}

#[utoipa::path(
    post,
    path = "/api/shop/cart/add",
    tag = "Shop",
    operation_id = "addToCart",
    summary = "Ajouter au panier",
    description = "`addToCart(productId, quantity)` : une quantité d'au moins 1, et pas plus que le stock (avec ce que le panier en a déjà). Répond le panier.",
    request_body = Addition,
    responses(
        (status = 201, description = "Ajouté ; le panier.", body = Cart),
        (status = 400, description = "Quantité invalide, stock insuffisant ou panier plein.", body = crate::openapi::schemas::Error, example = json!({"error": {"code": "rejected", "message": "Stock insuffisant"}})),
        (status = 404, description = "Aucun produit n'a cet identifiant.", body = crate::openapi::schemas::Error),
    )
)]
pub(super) async fn add(
    State(state): State<AppState>,
    caller: AuthUser,
    Command(addition, _): Command<Addition>,
) -> ApiResult<(StatusCode, Json<Cart>)> {
    let user = caller.id.to_string();
    let ids = [addition.product_id.clone()];
    let (product, lines) = tokio::try_join!(find_many(&state, &ids), lines(&state.store, &user))?;
    let product: Product = product
        .into_iter()
        .flatten()
        .next()
        .ok_or_else(unknown_product)?;
    let held = lines
        .iter()
        .find(|l| l.product_id == product.id)
        .map(|l| l.quantity);
    if held.is_none() && lines.len() >= MAX_LINES {
        return Err(ApiError::bad_request(format!(
            "Le panier contient déjà {MAX_LINES} produits"
        )));
    }
    let wanted = held.unwrap_or(0) + addition.quantity;
    if wanted > product.stock || wanted > MAX_QUANTITY {
        return Err(ApiError::bad_request("Stock insuffisant"));
    }
    // On the quantity read: two additions at once do not both pass the stock check.
    let cond = match held {
        Some(held) => Cond::eq("quantity", held),
        None => Cond::NotExists,
    };
    let update = Update::new()
        .set("productId", product.id.clone())
        .set("quantity", wanted);
    let key = line_key(&user, &product.id);
    state
        .store
        .transact(vec![TxOp::Update {
            key,
            update,
            cond: Some(cond),
        }])
        .await?;
    let (_, cart) = read(&state, &user).await?;
    Ok((StatusCode::CREATED, Json(cart)))
}

#[utoipa::path(
    get,
    path = "/api/shop/cart",
    tag = "Shop",
    operation_id = "getCart",
    summary = "Voir le panier",
    description = "Les lignes du panier aux prix actuels, et leur `total`.",
    responses((status = 200, description = "Le panier.", body = Cart))
)]
pub(super) async fn show(State(state): State<AppState>, caller: AuthUser) -> ApiResult<Json<Cart>> {
    let (_, cart) = read(&state, &caller.id.to_string()).await?;
    Ok(Json(cart))
}
