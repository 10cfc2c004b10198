//! The provider's side of payments: what can be bought, buying it (a PaymentIntent whose
//! `clientSecret` the app hands to Stripe's payment form), and its own payments.

use super::{Offer, PaidFor, Payment, PaymentStatus, PaymentType, totals};
use crate::AppState;
use crate::answers::{self, Envelope};
use crate::paging::{PageParams, Pagination};
use crate::role::Role;
use crate::users;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use payments::{NewIntent, idempotency_key};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use store::{Cond, Query};
use web::auth::AuthUser;
use web::extract::{Command, Query as QueryParams};
use web::pagination::{count, read_page};
use web::route;
use web::routes::{Access, Endpoint};
use web::validate::{Choice, FRENCH, Fields};
use web::{ApiError, ApiResult};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(offers, Access::Public),
        route!(buy, Access::Roles(Role::PROVIDER)),
        route!(mine, Access::Roles(Role::PROVIDER)),
    ]
}

#[derive(Serialize, utoipa::ToSchema)]
struct Offers {
    offers: Vec<Offer>,
}

#[utoipa::path(
    get,
    path = "/api/payments/offers",
    tag = "Paiements",
    operation_id = "paymentOffers",
    summary = "Ce qu'un prestataire peut acheter",
    description = "L'abonnement (5 000 FCFA, 30 jours), le boost (2 000 FCFA, 7 jours : juste après les prestataires mis en avant dans les résultats publics) et la mise en avant (10 000 FCFA, 7 jours). Public.",
    responses((status = 200, description = "Les offres.", body = Envelope<Offers>))
)]
async fn offers() -> Json<Envelope<Offers>> {
    let offers = PaymentType::ALL.iter().map(|kind| kind.offer()).collect();
    answers::ok(Offers { offers })
}

// `POST /api/payments`.
#[derive(utoipa::ToSchema)]
#[schema(as = PaymentRequest, example = json!({"type": "subscription"}))]
struct Purchase {
    #[schema(rename = "type", value_type = PaymentType)]
    kind: PaymentType,
}

impl TryFrom<&Map<String, Value>> for Purchase {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> ApiResult<Self> {
        let mut fields = Fields::new(body, &FRENCH);
        match fields.required_choice::<PaymentType>("type") {
            Some(kind) => Ok(Purchase { kind }),
            None => Err(fields.into_error()),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
struct Started {
    payment: Payment,
    /// À passer au formulaire de paiement de Stripe (Stripe.js, Payment Sheet).
    #[schema(example = json!("pi_3OZ..._secret_..."))]
    client_secret: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/payments",
    tag = "Paiements",
    operation_id = "startPayment",
    summary = "Acheter un abonnement, un boost ou une mise en avant",
    description = "Crée le paiement (`PENDING`) et son PaymentIntent Stripe en XAF ; le montant est celui de l'offre, jamais celui du client. Le paiement devient `ACCEPTED`, `REFUSED` ou `CANCELLED` quand Stripe le dit par son webhook signé, qui applique l'achat dans la même transaction.",
    request_body = Purchase,
    responses(
        (status = 201, description = "Paiement commencé.", body = Envelope<Started>),
        (status = 404, description = "L'appelant n'a pas de profil prestataire.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Profil prestataire non trouvé"})),
        (status = 503, description = "Stripe n'est pas configuré ou ne répond pas.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Les paiements ne sont pas configurés"})),
    )
)]
async fn buy(
    State(state): State<AppState>,
    caller: AuthUser,
    Command(Purchase { kind }, _): Command<Purchase>,
) -> ApiResult<(StatusCode, Json<Envelope<Started>>)> {
    let user_id = caller.id.to_string();
    let (provider, user) = tokio::join!(
        crate::providers::of_caller(&state.store, &caller),
        users::find(&state.store, &user_id)
    );
    let provider = provider?;
    let user = user?.ok_or_else(|| ApiError::not_found("Utilisateur non trouvé"))?;
    let offer = kind.offer();
    let now = chrono::Utc::now();
    let id = super::new_id(now);
    let metadata = BTreeMap::from([
        ("paymentId".to_owned(), id.clone()),
        ("providerId".to_owned(), provider.id.clone()),
        ("type".to_owned(), offer.kind.to_owned()),
    ]);
    let intent = state
        .gateway
        .create_intent(&NewIntent {
            amount: i64::try_from(offer.amount).unwrap_or(i64::MAX),
            currency: offer.currency.to_lowercase(),
            metadata,
            idempotency_key: idempotency_key("marketplace-payment", &id, "intent"),
        })
        .await
        .map_err(web::stripe::gateway_refusal_in_french)?;
    let paid_for = PaidFor {
        id: provider.id,
        business_name: provider.business_name,
    };
    let payment = Payment::pending(id, kind, (user, paid_for), intent.id, now);
    // An intent whose payment failed to be written is never paid for nothing: its webhook
    // finds no payment and is ignored, and the client never got its secret.
    let ops = vec![
        payment.stored(Cond::NotExists)?,
        totals::moved(kind, offer.amount, None, PaymentStatus::Pending),
    ];
    state.store.transact(ops).await?;
    Ok(answers::created(
        "Paiement créé",
        Started {
            payment,
            client_secret: intent.client_secret,
        },
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = MyPayments)]
struct Payments {
    payments: Vec<Payment>,
    pagination: Pagination,
}

#[utoipa::path(
    get,
    path = "/api/payments/mine",
    tag = "Paiements",
    operation_id = "myPayments",
    summary = "Mes paiements",
    description = "Les paiements de l'appelant, du plus récent au plus ancien, avec leur statut.",
    params(PageParams),
    responses(
        (status = 200, description = "Une page de paiements.", body = Envelope<Payments>),
        (status = 400, response = crate::openapi::BadRequest),
    )
)]
async fn mine(
    State(state): State<AppState>,
    caller: AuthUser,
    QueryParams(params): QueryParams<PageParams>,
) -> ApiResult<Json<Envelope<Payments>>> {
    let pager = params.pager()?;
    let query = Query::partition(
        super::BY_BUYER,
        super::buyer_partition(&caller.id.to_string()),
    );
    // A provider's own payments are a few a month: counted from their list.
    let (items, total) = tokio::join!(
        read_page(&state.store, query.clone().backward(), pager),
        count(&state.store, query)
    );
    let payments = items?
        .into_iter()
        .map(web::item::parse)
        .collect::<ApiResult<_>>()?;
    Ok(answers::ok(Payments {
        payments,
        pagination: Pagination::new(pager, total?),
    }))
}
