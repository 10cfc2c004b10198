//! The club shop (`/api/shop`): products by club and category with their stock, the fan's
//! cart, the checkout that pays from the wallet, takes the stock, writes the order and
//! empties the cart in one transaction, and the fan's orders.
//!
//! Items: a product at `PRODUCT#<id>`, listed in gsi1 by club (`PRODUCTS#<club>`, by
//! category) and in gsi2 (`PRODUCTS`); a cart line at `CART#<user>` / `ITEM#<product>`; an
//! order at `ORDER#<id>`, listed in gsi1 under its buyer (`ORDERS#<user>`).

mod cart;
mod checkout;

pub use checkout::{Order, orders};

use crate::AppState;
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use store::{Index, Key, Placement, Query, SortKey};
use web::extract::Query as QueryParams;
use web::money::Money;
use web::route;
use web::routes::{Access, Endpoint};
use web::{ApiError, ApiResult};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(products, Access::Public),
        route!(cart::add, Access::AnyUser),
        route!(cart::show, Access::AnyUser),
        route!(checkout::checkout, Access::AnyUser),
        route!(checkout::mine, Access::AnyUser),
    ]
}

const BY_CLUB: Index = Index::Gsi1;
const ALL: Index = Index::Gsi2;
const ALL_PARTITION: &str = "PRODUCTS";

fn club_partition(club: &str) -> String {
    format!("PRODUCTS#{club}")
}

/// A product as stored and listed.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Product {
    #[schema(example = json!("psg-maillot-domicile"))]
    pub id: String,
    #[schema(example = json!("psg"))]
    pub club_id: String,
    /// `maillots`, `accessoires`, `supporters`...
    #[schema(example = json!("maillots"))]
    pub category: String,
    #[schema(example = json!("Maillot domicile 2026"))]
    pub name: String,
    /// En euros.
    #[schema(value_type = f64, example = json!(89.99))]
    pub price: Money,
    /// Pièces en stock.
    #[schema(example = json!(25))]
    pub stock: i64,
}

pub fn key(id: &str) -> Key {
    Key::new(format!("PRODUCT#{id}"), "PRODUCT")
}

impl Product {
    pub fn stored(&self) -> ApiResult<store::Item> {
        let place = format!("{}#{}", self.category, self.id);
        Ok(Placement::new(key(&self.id))
            .listed(BY_CLUB, club_partition(&self.club_id), place.clone())
            .listed(ALL, ALL_PARTITION, format!("{}#{place}", self.club_id))
            .item(web::item::record(self)?))
    }
}

/// The products of `ids`, in their order (`None` where there is none).
pub async fn find_many(state: &AppState, ids: &[String]) -> ApiResult<Vec<Option<Product>>> {
    let keys: Vec<Key> = ids.iter().map(|id| key(id)).collect();
    web::item::get_many(&state.store, &keys).await
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Filter {
    /// Les produits d'un club (`psg`).
    club: Option<String>,
    /// Une catégorie (`maillots`).
    category: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = ShopProducts)]
struct Products {
    products: Vec<Product>,
}

#[utoipa::path(
    get,
    path = "/api/shop/products",
    tag = "Shop",
    operation_id = "getProducts",
    summary = "Catalogue",
    description = "`getProducts(club, category)` : les produits avec leur prix et leur stock, par club puis par catégorie ; les deux filtres sont facultatifs.",
    params(Filter),
    responses(
        (status = 200, description = "Les produits.", body = Products),
        (status = 400, response = crate::openapi::BadRequest),
    )
)]
async fn products(
    State(state): State<AppState>,
    QueryParams(filter): QueryParams<Filter>,
) -> ApiResult<Json<Products>> {
    let club = filter.club.filter(|c| !c.is_empty());
    let category = filter.category.filter(|c| !c.is_empty());
    let query = match &club {
        // A club's products, narrowed to one category by the sort key.
        Some(club) => {
            let query = Query::partition(BY_CLUB, club_partition(club));
            match &category {
                Some(category) => query.sort_key(SortKey::BeginsWith(format!("{category}#"))),
                None => query,
            }
        }
        None => Query::partition(ALL, ALL_PARTITION),
    };
    let products = listed(&state, query).await?;
    let products = products
        .into_iter()
        .filter(|p| category.as_ref().is_none_or(|c| &p.category == c))
        .collect();
    Ok(Json(Products { products }))
}

/// The products of `club`, by category.
pub async fn club_products(state: &AppState, club: &str) -> ApiResult<Vec<Product>> {
    listed(state, Query::partition(BY_CLUB, club_partition(club))).await
}

async fn listed(state: &AppState, query: Query) -> ApiResult<Vec<Product>> {
    web::item::all(&state.store, query).await
}

fn unknown_product() -> ApiError {
    ApiError::not_found("Produit introuvable")
}
