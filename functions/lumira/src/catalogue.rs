//! The shop's catalogue (`lumira.md`, "Récupérer le Catalogue de Produits"): `GET
//! /api/products`. The document shows its first two levels; its level numbers go up to the
//! four the shop sells (Initié, Mystique, Profond, Intégral), so the two higher ones are here
//! too, priced and described in the same way. Prices are in cents, in euros; a free product
//! gets its order without Stripe.
//!
//! The catalogue is part of the code, not the table: every function that prices an order
//! reads the same one, and no request reads the store for it.

use crate::AppState;
use axum::Json;
use serde::Serialize;
use web::route;
use web::routes::{Access, Endpoint};

// One product of the catalogue, as documented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Product {
    #[schema(example = json!("initie_simple"))]
    pub id: &'static str,
    #[schema(example = json!("Lecture Initiatique Simple"))]
    pub name: &'static str,
    #[schema(value_type = i64, example = json!(1), minimum = 1, maximum = 4)]
    pub level: u8,
    /// Price in cents (0: free, ordered without Stripe).
    #[schema(value_type = i64, example = json!(0), minimum = 0)]
    pub amount_cents: u32,
    #[schema(value_type = crate::openapi::schemas::Currency, inline, example = json!("eur"))]
    pub currency: &'static str,
    #[schema(example = json!("1 carte + PDF 2 pages"))]
    pub description: &'static str,
    /// The level's key in an order's metadata (`initie`).
    #[serde(skip)]
    pub level_key: &'static str,
    /// The level's name in orders (`levelName`) and order statuses (`Simple`, `Intuitive`).
    #[serde(skip)]
    pub level_name: &'static str,
}

pub const PRODUCTS: [Product; 4] = [
    Product {
        id: "initie_simple",
        name: "Lecture Initiatique Simple",
        level: 1,
        amount_cents: 0,
        currency: "eur",
        description: "1 carte + PDF 2 pages",
        level_key: "initie",
        level_name: "Simple",
    },
    Product {
        id: "mystique_intuitive",
        name: "Lecture Mystique Intuitive",
        level: 2,
        amount_cents: 1400,
        currency: "eur",
        description: "Profil âme + PDF 4 pages + audio 5 minutes",
        level_key: "mystique",
        level_name: "Intuitive",
    },
    Product {
        id: "profond_transformation",
        name: "Lecture Profonde Transformation",
        level: 3,
        amount_cents: 2900,
        currency: "eur",
        description: "Blocages et mission de vie + PDF 8 pages + audio 15 minutes",
        level_key: "profond",
        level_name: "Profonde",
    },
    Product {
        id: "integrale_mandala",
        name: "Lecture Intégrale Mandala",
        level: 4,
        amount_cents: 4900,
        currency: "eur",
        description: "Mandala personnel + PDF 12 pages + audio 25 minutes + suivi 30 jours",
        level_key: "integrale",
        level_name: "Intégrale",
    },
];

/// A consultation with an expert (`POST /api/payments/create-payment-intent`): sold to
/// clients who have a reading, outside the catalogue and its levels.
pub const CONSULTATION: Product = Product {
    id: "consultation_expert",
    name: "Consultation avec un expert",
    level: 0,
    amount_cents: 1400,
    currency: "eur",
    description: "Un échange avec l'expert de votre lecture",
    level_key: "consultation",
    level_name: "Consultation",
};

/// The highest level the shop sells.
pub const MAX_LEVEL: u8 = PRODUCTS[PRODUCTS.len() - 1].level;

/// The name of `level` in orders (`levelName`).
pub fn level_name(level: u8) -> Option<&'static str> {
    PRODUCTS
        .iter()
        .find(|p| p.level == level)
        .map(|p| p.level_name)
}

/// The product `id`, if the catalogue has it.
pub fn find(id: &str) -> Option<&'static Product> {
    PRODUCTS.iter().find(|p| p.id == id)
}

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![route!(catalogue, Access::Public)]
}

#[derive(Serialize, utoipa::ToSchema)]
struct Catalogue {
    #[schema(value_type = Vec<Product>)]
    products: &'static [Product],
}

#[utoipa::path(
    get,
    path = "/api/products",
    tag = "Products",
    operation_id = "listProducts",
    summary = "The product catalogue",
    description = "Every product, by level (1 to 4): the two the document shows, and the two higher levels its level numbers imply. Public.",
    responses(
        (status = 200, description = "The catalogue.", body = Catalogue, example = json!({"products": [{"id": "initie_simple", "name": "Lecture Initiatique Simple", "level": 1, "amountCents": 0, "currency": "eur", "description": "1 carte + PDF 2 pages"}, {"id": "mystique_intuitive", "name": "Lecture Mystique Intuitive", "level": 2, "amountCents": 1400, "currency": "eur", "description": "Profil âme + PDF 4 pages + audio 5 minutes"}]})),
    )
)]
async fn catalogue() -> Json<Catalogue> {
    Json(Catalogue {
        products: &PRODUCTS,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_product_per_level_in_order_with_unique_ids() {
        let levels: Vec<u8> = PRODUCTS.iter().map(|p| p.level).collect();
        assert_eq!(levels, [1, 2, 3, 4]);
        for product in &PRODUCTS {
            assert_eq!(find(product.id), Some(product));
        }
        assert_eq!(find("inconnu"), None);
        assert!(
            PRODUCTS
                .windows(2)
                .all(|w| w[0].amount_cents < w[1].amount_cents)
        );
    }
}
