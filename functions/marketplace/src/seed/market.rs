//! The demo marketplace, made through its own API as its users would make it (so every list,
//! counter and audit entry is what real use leaves): providers in every state with their
//! services, applications pending and awaiting changes, reviews (one hidden), contact
//! requests, favourites, banners, refused sign-ins, and payments in each status (written as
//! Stripe's webhook would settle them: no Stripe is needed locally).

use super::DEMO_ADMIN;
use super::client::Client;
use crate::payments::settle::{Reported, settle};
use crate::payments::{PaidFor, Payment, PaymentStatus, PaymentType, totals};
use crate::users;
use axum::http::Method;
use serde_json::{Value, json};
use store::{Cond, DynStore};
use web::product::BoxError;

/// A 1×1 PNG: the banners' and the documents' picture.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// What becomes of a demo provider after its approval.
#[derive(Clone, Copy, PartialEq)]
enum State {
    VerifiedAndFeatured,
    Verified,
    UnderReview,
    Rejected,
}

/// (first name, last name, email, business, activities, location, state)
const PROVIDERS: &[(&str, &str, &str, &str, &str, &str, State)] = &[
    (
        "Awa",
        "Bello",
        "awa.bello@example.com",
        "Salon Awa Coiffure",
        r#"["coiffure", "tresses"]"#,
        "Yaoundé, Bastos",
        State::VerifiedAndFeatured,
    ),
    (
        "Paul",
        "Etoundi",
        "paul.etoundi@example.com",
        "Etoundi Plomberie",
        r#"["plomberie"]"#,
        "Douala, Akwa",
        State::Verified,
    ),
    (
        "Clarisse",
        "Ngo",
        "clarisse.ngo@example.com",
        "Traiteur Clarisse",
        r#"["traiteur", "pâtisserie"]"#,
        "Yaoundé, Mvog-Mbi",
        State::UnderReview,
    ),
    (
        "Samuel",
        "Tchoua",
        "samuel.tchoua@example.com",
        "Tchoua Électricité",
        r#"["électricité"]"#,
        "Bafoussam",
        State::Rejected,
    ),
];

fn business<'a>(name: &'a str, activities: &'a str, location: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("businessName", name),
        (
            "description",
            "Un service soigné, à domicile ou en boutique, depuis 2015.",
        ),
        ("location", location),
        ("whatsapp", "+237 6 99 00 11 22"),
        ("activities", activities),
        ("documentTypes", r#"["cni", "photo"]"#),
    ]
}

const DOCUMENTS: &[(&str, &str, &[u8])] = &[
    ("documents", "cni.png", PNG),
    ("documents", "boutique.png", PNG),
];

/// A provider made and brought to its state: its account's token and the provider's id.
async fn provider(
    client: &Client,
    admin: &str,
    password: &str,
    (first, last, email, name, activities, location, state): (
        &str,
        &str,
        &str,
        &str,
        &str,
        &str,
        State,
    ),
) -> Result<(String, String), BoxError> {
    let registration = json!({"email": email, "password": password, "firstName": first,
        "lastName": last, "phoneNumber": "+237 6 77 00 11 22", "country": "Cameroun"});
    let signed = client
        .json(Method::POST, "/api/auth/register", None, registration)
        .await?;
    let token = signed["data"]["token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let applied = client
        .form(
            Method::POST,
            "/api/providers/apply",
            &token,
            &business(name, activities, location),
            DOCUMENTS,
        )
        .await?;
    let application = applied["data"]["application"]["id"]
        .as_str()
        .unwrap_or_default();
    let review = format!("/api/admin/provider-applications/{application}/review");
    let approved = client
        .json(
            Method::PUT,
            &review,
            Some(admin),
            json!({"decision": "approved", "adminNotes": "Dossier complet"}),
        )
        .await?;
    let id = approved["provider"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let verify = format!("/api/admin/providers/{id}/verify");
    match state {
        State::VerifiedAndFeatured | State::Verified => {
            client
                .json(
                    Method::PUT,
                    &verify,
                    Some(admin),
                    json!({"isVerified": true}),
                )
                .await?;
        }
        State::Rejected => {
            let refusal = json!({"isVerified": false, "rejectionReason": "La CNI est illisible : merci de la renvoyer"});
            client
                .json(Method::PUT, &verify, Some(admin), refusal)
                .await?;
        }
        State::UnderReview => {}
    }
    if state == State::VerifiedAndFeatured {
        let feature = format!("/api/admin/providers/{id}/feature");
        client
            .json(
                Method::PUT,
                &feature,
                Some(admin),
                json!({"isFeatured": true, "duration": 30}),
            )
            .await?;
    }
    // Approval ended its client sessions: it signs in again as a provider.
    let token = client.login(email, password).await?;
    Ok((token, id))
}

/// A payment as its purchase writes it, then settled as Stripe's webhook would.
async fn payment(
    store: &DynStore,
    (user_id, provider_id, business): (&str, &str, &str),
    kind: PaymentType,
    status: PaymentStatus,
) -> Result<(), BoxError> {
    let user = users::find(store, user_id)
        .await?
        .ok_or("demo data: a buyer is gone")?;
    let now = chrono::Utc::now();
    let offer = kind.offer();
    let id = crate::payments::new_id(now);
    let paid_for = PaidFor {
        id: provider_id.to_owned(),
        business_name: business.to_owned(),
    };
    let intent = format!("pi_demo_{}", uuid::Uuid::new_v4().simple());
    let payment = Payment::pending(id.clone(), kind, (user, paid_for), intent, now);
    let tally = totals::moved(kind, offer.amount, None, PaymentStatus::Pending);
    store
        .transact(vec![payment.stored(Cond::NotExists)?, tally])
        .await?;
    if status != PaymentStatus::Pending {
        let event = format!("evt_demo_{}", uuid::Uuid::new_v4().simple());
        let reported = Reported {
            event_id: &event,
            intent_id: &payment.stripe_payment_intent_id,
            amount: Some(offer.amount),
            currency: Some("xaf"),
            status,
        };
        settle(store, &id, &reported).await?;
    }
    Ok(())
}

/// Makes the demo marketplace unless it is there; whether it made it.
pub async fn demo_market(
    client: &Client,
    store: &DynStore,
    password: &str,
) -> Result<bool, BoxError> {
    if users::find_by_email(store, PROVIDERS[0].2).await?.is_some() {
        return Ok(false);
    }
    let admin = client.login(DEMO_ADMIN, password).await?;
    let mut made = Vec::new();
    for spec in PROVIDERS {
        made.push(provider(client, &admin, password, *spec).await?);
    }
    let (awa, paul) = (&made[0], &made[1]);
    for ((token, _), (name, price)) in [
        (awa, ("Tresses africaines", 15000)),
        (awa, ("Coupe et brushing", 5000)),
        (paul, ("Dépannage fuite", 10000)),
    ] {
        let service = json!({"name": name, "price": price, "durationMinutes": 90});
        client
            .json(
                Method::POST,
                "/api/providers/my-services",
                Some(token),
                service,
            )
            .await?;
    }
    // Clients: two applications still open, reviews, requests and favourites.
    let fatou = client.login("fatou.onana@example.com", password).await?;
    let marie = client.login("marie.ndiaye@example.com", password).await?;
    let jean = client.login("jean.fokou@example.com", password).await?;
    let elodie = client.login("elodie.mbarga@example.com", password).await?;
    client
        .form(
            Method::POST,
            "/api/providers/apply",
            &jean,
            &business("Fokou Menuiserie", r#"["menuiserie"]"#, "Douala, Bonapriso"),
            DOCUMENTS,
        )
        .await?;
    let applied = client
        .form(
            Method::POST,
            "/api/providers/apply",
            &elodie,
            &business("Élodie Couture", r#"["couture"]"#, "Yaoundé, Essos"),
            DOCUMENTS,
        )
        .await?;
    let review = format!(
        "/api/admin/provider-applications/{}/review",
        applied["data"]["application"]["id"]
            .as_str()
            .unwrap_or_default()
    );
    let asked = json!({"decision": "revisions_requested", "requestedChanges": "Ajoutez une photo de l'atelier"});
    client
        .json(Method::PUT, &review, Some(&admin), asked)
        .await?;
    let reviews = [
        (&fatou, &awa.1, 5, "Travail soigné, je recommande"),
        (&marie, &awa.1, 4, "Très bien, un peu d'attente"),
        (&fatou, &paul.1, 2, "Venu en retard, mais réparé"),
    ];
    let mut hidden = Value::Null;
    for (token, provider, rating, comment) in reviews {
        let path = format!("/api/providers/{provider}/reviews");
        let posted = client
            .json(
                Method::POST,
                &path,
                Some(token),
                json!({"rating": rating, "comment": comment}),
            )
            .await?;
        hidden = posted["data"]["review"]["id"].clone();
    }
    let visibility = format!(
        "/api/admin/reviews/{}/visibility",
        hidden.as_str().unwrap_or_default()
    );
    client
        .json(
            Method::PUT,
            &visibility,
            Some(&admin),
            json!({"isVisible": false}),
        )
        .await?;
    for (token, provider) in [(&fatou, &awa.1), (&marie, &paul.1)] {
        let message = json!({"message": "Bonjour, êtes-vous disponible samedi matin ?"});
        client
            .json(
                Method::POST,
                &format!("/api/providers/{provider}/contact"),
                Some(token),
                message,
            )
            .await?;
        client
            .json(
                Method::POST,
                &format!("/api/providers/{provider}/favorite"),
                Some(&fatou),
                json!({}),
            )
            .await?;
    }
    // Payments in each status.
    let awa_user = users::find_by_email(store, PROVIDERS[0].2)
        .await?
        .ok_or("demo data: Awa is gone")?;
    let paul_user = users::find_by_email(store, PROVIDERS[1].2)
        .await?
        .ok_or("demo data: Paul is gone")?;
    let awa_paid = (awa_user.id.as_str(), awa.1.as_str(), PROVIDERS[0].3);
    let paul_paid = (paul_user.id.as_str(), paul.1.as_str(), PROVIDERS[1].3);
    payment(
        store,
        awa_paid,
        PaymentType::Subscription,
        PaymentStatus::Accepted,
    )
    .await?;
    payment(
        store,
        paul_paid,
        PaymentType::Boost,
        PaymentStatus::Accepted,
    )
    .await?;
    payment(
        store,
        paul_paid,
        PaymentType::Featured,
        PaymentStatus::Pending,
    )
    .await?;
    payment(store, awa_paid, PaymentType::Boost, PaymentStatus::Refused).await?;
    payment(
        store,
        paul_paid,
        PaymentType::Subscription,
        PaymentStatus::Cancelled,
    )
    .await?;
    // Banners: one on the home page, one in the sidebar, one whose run is over.
    for (title, slot, end) in [
        ("Les meilleurs coiffeurs de Yaoundé", "main_home", ""),
        ("Plombiers disponibles à Douala", "sidebar", ""),
        ("Promo de la rentrée", "featured", "2025-09-30"),
    ] {
        let mut fields = vec![
            ("title", title),
            ("type", slot),
            ("linkUrl", "https://marketplace.example.com/promo"),
        ];
        if !end.is_empty() {
            fields.push(("endDate", end));
        }
        client
            .form(
                Method::POST,
                "/api/banners",
                &admin,
                &fields,
                &[("bannerImage", "banniere.png", PNG)],
            )
            .await?;
    }
    // Two refused sign-ins, for the security logs.
    for _ in 0..2 {
        let wrong =
            json!({"email": "fatou.onana@example.com", "password": "pas le bon mot de passe"});
        let _ = client
            .json(Method::POST, crate::auth::LOGIN_PATH, None, wrong)
            .await;
    }
    Ok(true)
}
