//! The local server's demo data: the clubs, an admin, a gate account, and two fans with
//! money in their wallets (each credit a deposit entry of the ledger, written once).

use crate::accounts::{self, operator};
use crate::clubs::{self, Club};
use crate::esim::Plan;
use crate::ledger::{self, Account, Entry, Kind};
use crate::role::Role;
use crate::shop::Product;
use crate::social::News;
use crate::tickets::{Category, Event};
use store::{Cond, DynStore, TxOp};
use web::money::Money;
use web::{ApiError, ApiResult};

pub const DEMO_ADMIN: &str = "admin@paiecashfan.local";
pub const DEMO_GATE: &str = "gate@paiecashfan.local";
/// The fan of the printed demo login, who holds at least 100 €.
pub const DEMO_FAN: &str = "demo@paiecashfan.com";

/// (id, name, city).
const CLUBS: &[(&str, &str, &str)] = &[
    ("psg", "Paris Saint-Germain", "Paris"),
    ("om", "Olympique de Marseille", "Marseille"),
    ("ol", "Olympique Lyonnais", "Lyon"),
    ("losc", "LOSC Lille", "Lille"),
    ("asse", "AS Saint-Étienne", "Saint-Étienne"),
];

/// The demo fans: (email, name, club, euros deposited).
const FANS: &[(&str, &str, &str, i64)] = &[
    (DEMO_FAN, "Camille Martin", "psg", 150),
    ("awa.diop@example.com", "Awa Diop", "om", 80),
];

/// The demo eSIM plans: (id, club, name, Go, days, cents).
const PLANS: &[(&str, &str, &str, u32, u32, i64)] = &[
    ("psg-data-5", "psg", "PSG Data 5 Go", 5, 30, 999),
    ("om-data-10", "om", "OM Data 10 Go", 10, 30, 1499),
    ("ol-voyage-3", "ol", "OL Voyage 3 Go", 3, 15, 699),
    ("losc-match-1", "losc", "LOSC Jour de match 1 Go", 1, 1, 199),
];

/// The demo products: (id, club, category, name, cents, stock).
const PRODUCTS: &[(&str, &str, &str, &str, i64, i64)] = &[
    (
        "psg-maillot-domicile",
        "psg",
        "maillots",
        "Maillot domicile 2026",
        8999,
        25,
    ),
    (
        "psg-echarpe",
        "psg",
        "supporters",
        "Écharpe Ici c'est Paris",
        1999,
        60,
    ),
    (
        "om-maillot-domicile",
        "om",
        "maillots",
        "Maillot domicile 2026",
        8999,
        20,
    ),
    (
        "om-casquette",
        "om",
        "accessoires",
        "Casquette brodée",
        2499,
        3,
    ),
    (
        "ol-ballon",
        "ol",
        "accessoires",
        "Ballon officiel taille 5",
        2999,
        40,
    ),
    (
        "losc-echarpe",
        "losc",
        "supporters",
        "Écharpe Dogues",
        1799,
        1,
    ),
];

/// The demo events: (id, club, name, venue, start, [(category, cents, seats)]).
type DemoEvent = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, i64, i64)],
);
const EVENTS: &[DemoEvent] = &[
    (
        "psg-om-2027-02-08",
        "psg",
        "PSG – OM",
        "Parc des Princes",
        "2027-02-08T20:45:00.000Z",
        &[
            ("tribune", 3500, 200),
            ("premium", 8999, 50),
            ("loge", 25000, 1),
        ],
    ),
    (
        "om-ol-2027-02-15",
        "om",
        "OM – OL",
        "Orange Vélodrome",
        "2027-02-15T21:00:00.000Z",
        &[("virage", 2500, 300), ("premium", 7999, 40)],
    ),
    (
        "losc-asse-2027-03-01",
        "losc",
        "LOSC – ASSE",
        "Stade Pierre-Mauroy",
        "2027-03-01T19:00:00.000Z",
        &[("tribune", 2000, 100)],
    ),
];

/// The demo news: (id, club, title, body, published).
const NEWS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "psg-news-1",
        "psg",
        "Billetterie du Classique ouverte",
        "Les places pour PSG – OM sont en vente dans l'application, paiement par le portefeuille.",
        "2026-12-01T10:00:00.000Z",
    ),
    (
        "psg-news-2",
        "psg",
        "Nouveau maillot domicile",
        "Le maillot domicile 2026 est disponible à la boutique du club.",
        "2026-12-03T09:00:00.000Z",
    ),
    (
        "om-news-1",
        "om",
        "Casquettes brodées en édition limitée",
        "Trois pièces seulement à la boutique : premier arrivé, premier servi.",
        "2026-12-02T12:00:00.000Z",
    ),
];

/// Adds the clubs, the eSIM plans, the shop's products, the events and the news that are absent;
/// whether any was added.
pub async fn demo_catalogue(store: &DynStore) -> ApiResult<bool> {
    let mut added = false;
    for (id, name, city) in CLUBS {
        let club = Club {
            id: (*id).into(),
            name: (*name).into(),
            city: (*city).into(),
        };
        let item = store::Placement::new(clubs::key(id)).item(web::item::record(&club)?);
        added |= put_once(store, item).await?;
    }
    for (id, club, name, data_gb, days, cents) in PLANS {
        let plan = Plan {
            id: (*id).into(),
            club_id: (*club).into(),
            name: (*name).into(),
            data_gb: *data_gb,
            days: *days,
            price: Money::from_minor(*cents),
        };
        added |= put_once(store, plan.stored()?).await?;
    }
    for (id, club, category, name, cents, stock) in PRODUCTS {
        let product = Product {
            id: (*id).into(),
            club_id: (*club).into(),
            category: (*category).into(),
            name: (*name).into(),
            price: Money::from_minor(*cents),
            stock: *stock,
        };
        added |= put_once(store, product.stored()?).await?;
    }
    for (id, club, name, venue, starts_at, categories) in EVENTS {
        let event = Event {
            id: (*id).into(),
            club_id: (*club).into(),
            name: (*name).into(),
            venue: (*venue).into(),
            starts_at: (*starts_at).into(),
            categories: categories
                .iter()
                .map(|(name, price, seats)| Category {
                    name: (*name).into(),
                    price: *price,
                    seats: *seats,
                })
                .collect(),
        };
        for item in event.on_sale()? {
            added |= put_once(store, item).await?;
        }
    }
    for (id, club, title, body, published_at) in NEWS {
        let news = News {
            id: (*id).into(),
            club_id: (*club).into(),
            title: (*title).into(),
            body: (*body).into(),
            published_at: (*published_at).into(),
        };
        added |= put_once(store, news.stored()?).await?;
    }
    Ok(added)
}

/// Writes `item` unless its key holds one; whether it was written.
async fn put_once(store: &DynStore, item: store::Item) -> ApiResult<bool> {
    match store.put(item, Some(Cond::NotExists)).await {
        Ok(()) => Ok(true),
        Err(store::StoreError::ConditionFailed { .. }) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Adds the demo accounts that are absent, all with `password`, and the fans' first
/// deposits; whether anything was added.
pub async fn demo_accounts(store: &DynStore, password: &str) -> ApiResult<bool> {
    let mut added = false;
    for (email, role) in [(DEMO_ADMIN, Role::Admin), (DEMO_GATE, Role::Gate)] {
        if accounts::find_by_email(store, email).await?.is_none() {
            operator::ensure(store, email, role, Some(password)).await?;
            added = true;
        }
    }
    for (email, name, club, euros) in FANS {
        let user = match accounts::find_by_email(store, email).await? {
            Some(user) => user,
            None => {
                let mut user = operator::ensure(store, email, Role::Fan, Some(password)).await?;
                let ops = vec![(
                    "profile",
                    TxOp::Update {
                        key: accounts::key(&user.id),
                        update: store::Update::new().set("name", *name).set("clubId", *club),
                        cond: Some(Cond::Exists),
                    },
                )];
                store.transact_named(ops).await?;
                user.name = (*name).into();
                user.club_id = (*club).into();
                added = true;
                user
            }
        };
        // Written once: the entry's id is the fan's own.
        let mut deposit = Entry::new(
            Account::deposits(),
            Account::wallet(&user.id),
            Money::from_minor(euros * 100),
            Kind::Deposit,
            "Dépôt (données de démonstration)".into(),
        );
        deposit.id = format!("demo-deposit-{}", user.id);
        match store.transact_named(ledger::posted(&deposit)?).await {
            Ok(()) => added = true,
            Err(e) if e.failed(ledger::ONCE) => {}
            Err(e) => return Err(ApiError::from(e)),
        }
    }
    Ok(added)
}
