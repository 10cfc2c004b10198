//! Provider applications: a client asks to become a provider, with its business and its
//! documents (`POST /api/providers/apply`); an admin approves it, rejects it or asks for
//! changes, which the applicant answers (`PUT /api/providers/my-application`).
//!
//! Items: the application at `APPLICATION#<id>`, listed by status in gsi1 (`APPS#<status>`),
//! by applicant in gsi2 (`APPSBYUSER#<userId>`) and all together in gsi3 (`APPS`). While one is
//! open (`pending` or `revisions_requested`) the applicant's `APPLYING#<userId>` item names
//! it, so a client has one open application at most, however its requests race. Totals by
//! status are counters moved with each change (`applications#<status>`).

pub mod documents;
pub mod form;
pub mod routes;
pub mod view;

use documents::Document;
use serde::{Deserialize, Serialize};
use store::{Cond, DynStore, Index, Key, Placement, TxOp};
use web::validate::Choice;
use web::{ApiResult, counters};

web::choice! {
    pub enum Status {
        Pending = "pending",
        Approved = "approved",
        Rejected = "rejected",
        RevisionsRequested = "revisions_requested",
    }
}

impl Status {
    /// Whether the application still waits on the applicant or an admin.
    pub fn is_open(self) -> bool {
        matches!(self, Status::Pending | Status::RevisionsRequested)
    }
}

/// An application as stored.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Application {
    pub id: String,
    pub user_id: String,
    pub business_name: String,
    pub description: String,
    pub location: String,
    pub address: Option<String>,
    pub whatsapp: Option<String>,
    pub facebook: Option<String>,
    pub instagram: Option<String>,
    pub activities: Vec<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub documents: Vec<Document>,
    pub status: String,
    pub admin_notes: Option<String>,
    pub rejection_reason: Option<String>,
    /// What the admin asked the applicant to change (`revisions_requested`).
    pub requested_changes: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl Application {
    /// A new application of `user_id`, pending, without documents yet.
    pub fn new(user_id: String, business: form::Business, now: &str) -> Self {
        let mut application = Application {
            id: uuid::Uuid::new_v4().to_string(),
            user_id,
            business_name: String::new(),
            description: String::new(),
            location: String::new(),
            address: None,
            whatsapp: None,
            facebook: None,
            instagram: None,
            activities: Vec::new(),
            latitude: None,
            longitude: None,
            documents: Vec::new(),
            status: Status::Pending.as_str().to_owned(),
            admin_notes: None,
            rejection_reason: None,
            requested_changes: None,
            reviewed_by: None,
            reviewed_at: None,
            created_at: now.to_owned(),
            updated_at: now.to_owned(),
        };
        application.revised(business, now);
        application
    }

    /// Takes `business` as the applicant now says it, pending again.
    pub fn revised(&mut self, business: form::Business, now: &str) {
        let form::Business {
            business_name,
            description,
            location,
            address,
            whatsapp,
            facebook,
            instagram,
            activities,
            latitude,
            longitude,
        } = business;
        self.business_name = business_name;
        self.description = description;
        self.location = location;
        self.address = address;
        self.whatsapp = whatsapp;
        self.facebook = facebook;
        self.instagram = instagram;
        self.activities = activities;
        self.latitude = latitude;
        self.longitude = longitude;
        self.status = Status::Pending.as_str().to_owned();
        self.updated_at = now.to_owned();
    }

    pub fn status(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::Pending)
    }

    pub fn placement(&self) -> Placement {
        let place = format!("{}#{}", self.created_at, self.id);
        Placement::new(key(&self.id))
            .listed(BY_STATUS, status_partition(&self.status), place.clone())
            .listed(BY_USER, user_partition(&self.user_id), place.clone())
            .listed(ALL, ALL_PARTITION, place)
    }

    /// The write that stores it as it is now, on the condition that it still has the status
    /// `was` (no other review or answer came first), and moves the totals.
    pub fn saved(&self, was: Option<Status>) -> ApiResult<Vec<(&'static str, TxOp)>> {
        let item = self.placement().item(web::item::record(self)?);
        let cond = match was {
            Some(was) => Cond::eq("status", was.as_str()),
            None => Cond::NotExists,
        };
        let mut ops = vec![(
            SAVED,
            TxOp::Put {
                item,
                cond: Some(cond),
            },
        )];
        let now = self.status();
        if was != Some(now) {
            ops.push(("new_total", counters::bump(total(now), 1)));
            if let Some(was) = was {
                ops.push(("old_total", counters::bump(total(was), -1)));
            }
        }
        // The applicant's open application: taken when one opens, freed when it closes.
        match (was.is_some_and(Status::is_open), now.is_open()) {
            (false, true) => {
                let mut open = applying_key(&self.user_id).to_item();
                open.insert("applicationId".into(), self.id.clone().into());
                ops.push((
                    OPEN_GUARD,
                    TxOp::Put {
                        item: open,
                        cond: Some(Cond::NotExists),
                    },
                ));
            }
            (true, false) => ops.push((
                OPEN_GUARD,
                TxOp::Delete {
                    key: applying_key(&self.user_id),
                    cond: None,
                },
            )),
            _ => {}
        }
        Ok(ops)
    }
}

/// The name of a save's own write, whose condition failing means another change came first.
pub const SAVED: &str = "application";
/// The name of the write that takes the applicant's open application.
pub const OPEN_GUARD: &str = "open_application";

pub const BY_STATUS: Index = Index::Gsi1;
pub const BY_USER: Index = Index::Gsi2;
/// Every application, oldest first.
pub const ALL: Index = Index::Gsi3;
pub const ALL_PARTITION: &str = "APPS";

pub fn key(id: &str) -> Key {
    Key::new(format!("APPLICATION#{id}"), "APPLICATION")
}

fn applying_key(user_id: &str) -> Key {
    Key::new(format!("APPLYING#{user_id}"), "APPLYING")
}

pub fn status_partition(status: &str) -> String {
    format!("APPS#{status}")
}

fn user_partition(user_id: &str) -> String {
    format!("APPSBYUSER#{user_id}")
}

pub fn total(status: Status) -> String {
    format!("applications#{}", status.as_str())
}

pub async fn find(store: &DynStore, id: &str) -> ApiResult<Option<Application>> {
    store.get(&key(id)).await?.map(web::item::parse).transpose()
}

/// Removes every application of `user_id` and its documents' files (one removed already is
/// left as it is).
pub async fn removed_all(state: &crate::AppState, user_id: &str) -> ApiResult<()> {
    let query = store::Query::partition(BY_USER, user_partition(user_id));
    for item in web::pagination::read_all(&state.store, query).await? {
        let application: Application = web::item::parse(item)?;
        let status = application.status();
        let mut ops = vec![
            TxOp::Delete {
                key: key(&application.id),
                cond: Some(Cond::eq("status", application.status.clone())),
            },
            counters::bump(total(status), -1),
        ];
        if status.is_open() {
            ops.push(TxOp::Delete {
                key: applying_key(user_id),
                cond: None,
            });
        }
        match state.store.transact(ops).await {
            Err(e) if e.is_condition_failed() => continue,
            other => other?,
        }
        documents::removed(state, &application.documents).await;
    }
    Ok(())
}

/// The applicant's latest application.
pub async fn latest_of(store: &DynStore, user_id: &str) -> ApiResult<Option<Application>> {
    let query = store::Query::partition(BY_USER, user_partition(user_id))
        .backward()
        .limit(1);
    let page = store.query(query).await?;
    page.items
        .into_iter()
        .next()
        .map(web::item::parse)
        .transpose()
}
