//! Résumés (`cvbuilder.md` 3), stored one item each at `RESUME#<id>` with their nested lists
//! inside. Each belongs to a user or, for an anonymous visitor, to a session; gsi1 lists an
//! owner's résumés (`OWNER#U#<user>` or `OWNER#S#<session key>`), newest first. A write
//! replaces the item only if it is the version that was read (`version`), so two auto-saves
//! never lose each other's changes.

pub mod entries;
mod form;
pub mod json_resume;
pub mod linkedin;
pub(crate) mod routes;
pub(crate) mod view;

pub use form::Changes;
pub use view::ResumeView;

use entries::{Education, Experience, Skill};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use store::{Cond, DynStore, Index, Item, Key, Placement, Query, TxOp, Update};
use web::auth::AnonymousSession;
use web::{ApiError, ApiResult};

/// Who a résumé belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    User(i64),
    Session(String),
}

impl Owner {
    fn partition(&self) -> String {
        match self {
            Owner::User(id) => format!("OWNER#U#{}", web::counters::padded(*id)),
            Owner::Session(key) => format!("OWNER#S#{key}"),
        }
    }
}

/// A résumé as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Resume {
    pub id: i64,
    pub session_id: Option<String>,
    pub user: Option<i64>,
    pub template: i64,
    pub full_name: String,
    pub email: String,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub website: Option<String>,
    pub linkedin_url: Option<String>,
    pub github_url: Option<String>,
    pub photo: Option<String>,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub experiences: Vec<Experience>,
    pub education: Vec<Education>,
    pub skills: Vec<Skill>,
    pub languages_data: Vec<Value>,
    pub certifications_data: Vec<Value>,
    pub projects_data: Vec<Value>,
    pub custom_sections: Vec<Value>,
    /// Paid for on its own (a `single` payment).
    pub is_paid: bool,
    /// `free` or `single`; an active subscription shows as `subscription` (see the view).
    pub payment_type: String,
    pub created_at: String,
    pub updated_at: String,
    pub last_accessed: String,
    /// Bumped by every write: the condition of the next one.
    #[serde(default)]
    pub version: i64,
}

impl Resume {
    pub fn owner(&self) -> Option<Owner> {
        match (&self.user, &self.session_id) {
            (Some(user), _) => Some(Owner::User(*user)),
            (None, Some(session)) => Some(Owner::Session(session.clone())),
            (None, None) => None,
        }
    }
}

fn resume_key(id: i64) -> Key {
    Key::new(format!("RESUME#{}", web::counters::padded(id)), "RESUME")
}

/// The index résumés are listed in: by owner (a user or an anonymous session), newest first.
const BY_OWNER: Index = Index::Gsi1;

/// The stored form of `resume`, with its owner's index entry.
fn item_of(resume: &Resume) -> ApiResult<Item> {
    let mut placement = Placement::new(resume_key(resume.id));
    if let Some(owner) = resume.owner() {
        let sort_key = web::counters::list_sort_key(&resume.created_at, resume.id);
        placement = placement.listed(BY_OWNER, owner.partition(), sort_key);
    }
    let item = placement.item(web::item::record(resume)?);
    let size = serde_json::to_vec(&item).map_err(ApiError::internal)?.len();
    if size > store::MAX_ITEM_BYTES {
        return Err(ApiError::bad_request(
            "This résumé is too large to be saved: shorten its texts or lists.",
        ));
    }
    Ok(item)
}

/// Saves a new résumé.
pub async fn insert(store: &DynStore, resume: &Resume) -> ApiResult<()> {
    store.put(item_of(resume)?, Some(Cond::NotExists)).await?;
    Ok(())
}

/// Saves `resume` over the version it was read at; `false` when another write came first.
pub async fn replace(store: &DynStore, resume: &Resume, read_version: i64) -> ApiResult<bool> {
    let cond = Cond::eq("version", read_version);
    match store.put(item_of(resume)?, Some(cond)).await {
        Ok(()) => Ok(true),
        Err(e) if e.is_condition_failed() => Ok(false),
        Err(e) => Err(e.into()),
    }
}

pub async fn find(store: &DynStore, id: i64) -> ApiResult<Option<Resume>> {
    store
        .get(&resume_key(id))
        .await?
        .map(web::item::parse)
        .transpose()
}

/// The résumé `id` if it is `owner`'s: another owner's is as absent as a missing one.
pub async fn find_owned(store: &DynStore, id: i64, owner: &Owner) -> ApiResult<Option<Resume>> {
    Ok(find(store, id)
        .await?
        .filter(|r| r.owner().as_ref() == Some(owner)))
}

/// Deletes the résumé `id` if it is `owner`'s; `false` when there was none.
pub async fn delete_owned(store: &DynStore, id: i64, owner: &Owner) -> ApiResult<bool> {
    let cond = Cond::listed(BY_OWNER, owner.partition());
    match store.delete(&resume_key(id), Some(cond)).await {
        Ok(deleted) => Ok(deleted.is_some()),
        Err(e) if e.is_condition_failed() => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// The step that marks résumé `id` paid for on its own (a `single` checkout), if it is
/// still there.
pub fn paid_op(id: i64) -> TxOp {
    TxOp::Update {
        key: resume_key(id),
        update: Update::new()
            .set("is_paid", true)
            .set("payment_type", "single")
            .add("version", 1),
        cond: Some(Cond::attr_exists("pk")),
    }
}

/// Records a read (`last_accessed`), leaving the version as it is: a read is not an edit.
pub async fn touch(store: &DynStore, id: i64, at: &str) -> ApiResult<()> {
    let update = Update::new().set("last_accessed", at);
    match store
        .update(&resume_key(id), update, Some(Cond::attr_exists("pk")))
        .await
    {
        Ok(_) => Ok(()),
        // Deleted meanwhile: nothing to record.
        Err(e) if e.is_condition_failed() => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Every résumé of `owner`, newest first.
pub async fn of_owner(store: &DynStore, owner: &Owner) -> ApiResult<Vec<Resume>> {
    let query = Query::partition(BY_OWNER, owner.partition()).backward();
    web::pagination::read_all(store, query)
        .await?
        .into_iter()
        .map(web::item::parse)
        .collect()
}

/// Makes the résumés of the anonymous `session` the user's: what signing in with the
/// session's cookie does. Each moves in a transaction of up to a hundred, on the condition
/// that it is still the session's, so a résumé deleted or claimed meanwhile is left alone.
pub async fn claim(store: &DynStore, session: &AnonymousSession, user: i64) -> ApiResult<()> {
    let from = Owner::Session(session.as_str().to_string());
    let to = Owner::User(user);
    let resumes = of_owner(store, &from).await?;
    for chunk in resumes.chunks(store::MAX_TRANSACTION_ITEMS) {
        let ops = chunk
            .iter()
            .map(|resume| TxOp::Update {
                key: resume_key(resume.id),
                update: Update::new()
                    .set("user", user)
                    .set("session_id", Value::Null)
                    .relist(BY_OWNER, to.partition())
                    .add("version", 1),
                cond: Some(Cond::listed(BY_OWNER, from.partition())),
            })
            .collect();
        match store.transact(ops).await {
            Ok(()) => {}
            // One of them changed hands meanwhile: the next sign-in takes what is left.
            Err(e) if e.is_condition_failed() => {
                tracing::info!(user, "a résumé changed owner while being claimed");
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}
