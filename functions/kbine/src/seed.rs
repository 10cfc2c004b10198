//! Demo data: the three operators of the document with their plans.

use crate::operators;
use crate::plans::{self, PlanFields};
use store::DynStore;
use web::ApiResult;
use web::money::Money;

struct DemoPlan {
    name: &'static str,
    description: &'static str,
    price: i64,
    kind: &'static str,
    validity_days: Option<i64>,
}

const fn plan(
    name: &'static str,
    description: &'static str,
    price: i64,
    kind: &'static str,
    validity_days: Option<i64>,
) -> DemoPlan {
    DemoPlan {
        name,
        description,
        price,
        kind,
        validity_days,
    }
}

/// Creates the catalogue when the store has no operator yet; returns whether it did.
pub async fn demo_catalogue(store: &DynStore) -> ApiResult<bool> {
    if !operators::all(store).await?.is_empty() {
        return Ok(false);
    }
    let catalogue: [(&str, &str, &str, [DemoPlan; 3]); 3] = [
        (
            "Orange CI",
            "ORANGE",
            "07",
            [
                plan(
                    "Recharge 1000 FCFA",
                    "Crédit de communication de 1000 FCFA",
                    1000,
                    "credit",
                    None,
                ),
                plan(
                    "Forfait Yango 1Go",
                    "1Go d'internet valable 7 jours",
                    500,
                    "internet",
                    Some(7),
                ),
                plan(
                    "Pass Minutes 60",
                    "60 minutes d'appel vers tous les réseaux",
                    1500,
                    "minutes",
                    Some(30),
                ),
            ],
        ),
        (
            "MTN",
            "MTN",
            "05",
            [
                plan(
                    "Recharge 1000 FCFA",
                    "Crédit de communication de 1000 FCFA",
                    1000,
                    "credit",
                    None,
                ),
                plan(
                    "Pass Internet 2Go",
                    "2Go d'internet valable 30 jours",
                    2000,
                    "internet",
                    Some(30),
                ),
                plan(
                    "Pass Minutes 30",
                    "30 minutes d'appel vers tous les réseaux",
                    800,
                    "minutes",
                    Some(7),
                ),
            ],
        ),
        (
            "Moov",
            "MOOV",
            "01",
            [
                plan(
                    "Recharge 500 FCFA",
                    "Crédit de communication de 500 FCFA",
                    500,
                    "credit",
                    None,
                ),
                plan(
                    "Pass Internet 1Go",
                    "1Go d'internet valable 7 jours",
                    500,
                    "internet",
                    Some(7),
                ),
                plan(
                    "Pass Minutes 100",
                    "100 minutes d'appel vers Moov",
                    2500,
                    "minutes",
                    Some(30),
                ),
            ],
        ),
    ];
    for (name, code, prefix, demo_plans) in catalogue {
        let operator = operators::insert(store, name, code, &[prefix.to_string()]).await?;
        for p in demo_plans {
            plans::insert(
                store,
                PlanFields {
                    operator_id: Some(operator.id),
                    name: Some(p.name.into()),
                    description: Some(Some(p.description.into())),
                    price: Some(Money::from_minor(p.price * 100)),
                    kind: Some(p.kind.into()),
                    validity_days: Some(p.validity_days),
                    active: Some(true),
                },
            )
            .await?;
        }
    }
    Ok(true)
}
