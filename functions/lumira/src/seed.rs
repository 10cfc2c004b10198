//! The local server's demo orders: one in each stage of a reading, for one demo client, made
//! the way the shop makes them (a checkout, then the moves staff and Stripe make), so every
//! list, filter, queue and aggregate has something to show. A paid product's demo intent
//! was never at Stripe: only its order is real.

use crate::catalogue;
use crate::customers;
use crate::orders::create::Checkout;
use crate::orders::moves::{self, Change};
use crate::orders::review::{self, Decision};
use crate::orders::{self, PaymentStatus, payment, status};
use payments::{Intent, IntentStatus};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use store::{DynStore, Update};
use web::ids::ObjectId;
use web::{ApiError, ApiResult};

/// The demo client, whose orders these are.
pub const DEMO_CLIENT: &str = "demo.client@lumira.local";

/// The stage each demo order is brought to, with its product.
const STAGES: &[(&str, &str)] = &[
    ("mystique_intuitive", status::PENDING),
    ("initie_simple", status::PAID),
    ("profond_transformation", status::PROCESSING),
    ("mystique_intuitive", status::AWAITING_VALIDATION),
    ("integrale_mandala", status::COMPLETED),
    ("mystique_intuitive", status::CANCELLED),
    ("profond_transformation", status::REFUNDED),
];

/// Adds the demo orders unless the demo client has some; whether it did.
pub async fn demo_orders(store: &DynStore, admin: &str, expert: &str) -> ApiResult<bool> {
    if customers::find_by_email(store, DEMO_CLIENT)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    for (product, stage) in STAGES {
        let product =
            catalogue::find(product).ok_or_else(|| ApiError::internal("a demo product"))?;
        let id = ObjectId::new();
        let at = chrono::Utc::now();
        let intent = (product.amount_cents > 0).then(|| Intent {
            id: format!("pi_demo{}", id),
            client_secret: None,
            status: IntentStatus::RequiresPaymentMethod,
            amount: i64::from(product.amount_cents),
            currency: product.currency.to_owned(),
            metadata: BTreeMap::new(),
        });
        let checkout = Checkout {
            product,
            service: "reading",
            email: DEMO_CLIENT.to_owned(),
            client_metadata: Map::from_iter([("source".to_owned(), json!("demo"))]),
            id,
            number: orders::number::next(store, at).await?,
            intent: intent.as_ref(),
        };
        checkout.save(store, &web::time::format(at)).await?;
        let order = orders::find(store, &id.to_string())
            .await?
            .ok_or_else(|| ApiError::internal("a demo order vanished"))?;
        bring_to(store, order, stage, admin, expert).await?;
    }
    Ok(true)
}

/// Moves a new demo order along the shop's workflow until it reaches `stage`.
async fn bring_to(
    store: &DynStore,
    mut order: orders::Order,
    stage: &str,
    admin: &str,
    expert: &str,
) -> ApiResult<()> {
    if stage == status::PENDING {
        return Ok(());
    }
    if stage == status::CANCELLED {
        payment::record(store, order, PaymentStatus::Canceled, None).await?;
        return Ok(());
    }
    if order.payment_status != PaymentStatus::Succeeded {
        order = payment::record(store, order, PaymentStatus::Succeeded, None)
            .await?
            .0;
    }
    let steps: &[&str] = match stage {
        status::PROCESSING => &[status::PROCESSING],
        status::AWAITING_VALIDATION => &[status::PROCESSING, status::AWAITING_VALIDATION],
        status::COMPLETED | status::REFUNDED => &[
            status::PROCESSING,
            status::AWAITING_VALIDATION,
            "approved",
            status::COMPLETED,
        ],
        _ => &[],
    };
    for step in steps {
        order = moves::apply(store, order, |order| {
            step_change(order, step, admin, expert)
        })
        .await?;
    }
    if stage == status::REFUNDED {
        payment::record(store, order, PaymentStatus::Refunded, None).await?;
    }
    Ok(())
}

fn step_change(order: &orders::Order, step: &str, admin: &str, expert: &str) -> ApiResult<Change> {
    let mut update = Update::new();
    let to = match step {
        "approved" => {
            return review::decide(
                order,
                expert,
                Decision::Approved,
                Some("Lecture juste et bienveillante"),
                expert,
            );
        }
        status::AWAITING_VALIDATION => {
            let content: Value = json!({
                "reading": format!("Lecture de démonstration de niveau {} : votre chemin s'éclaire.", order.level),
                "ritual": "Allumez une bougie blanche au lever du soleil.",
                "soulProfile": "Une âme curieuse et lumineuse.",
            });
            update = update
                .set("generatedContent", content)
                .set("expertValidation", json!({"validationStatus": "pending"}))
                .set(review::REVIEW_STATE, "pending");
            status::AWAITING_VALIDATION
        }
        status::COMPLETED => {
            update = update
                .set("deliveredAt", web::time::now())
                .set("deliveryMethod", "sanctuaire");
            status::COMPLETED
        }
        _ => status::PROCESSING,
    };
    Ok(Change::moving(to, update, admin))
}
