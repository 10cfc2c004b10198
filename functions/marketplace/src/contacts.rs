//! Contact requests: a member writes to a provider, which reads its requests and marks them
//! read. Each request moves the provider's `contactsCount` and the platform's totals in the
//! same transaction.
//!
//! Items: the request at `CONTACT#<id>`, listed by provider in gsi1
//! (`CONTACTS#<providerId>`) and all together in gsi2 (`CONTACTS`), newest first.

use crate::AppState;
use crate::answers::{self, Envelope};
use crate::paging::{PageParams, Pagination};
use crate::providers;
use crate::role::Role;
use crate::users;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use store::{Cond, DynStore, Index, Key, Placement, Query, TxOp, Update};
use uuid::Uuid;
use web::auth::AuthUser;
use web::extract::{Command, PathId, Query as QueryParams};
use web::pagination::read_page;
use web::route;
use web::routes::{Access, Endpoint};
use web::validate::{FRENCH, Fields};
use web::{ApiError, ApiResult, counters};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(contact, Access::Roles(Role::MEMBERS)),
        route!(mine, Access::Roles(Role::PROVIDER)),
        route!(read, Access::Roles(Role::PROVIDER)),
    ]
}

/// A request as stored and as its provider reads it.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = ContactRequest)]
pub struct Contact {
    pub id: String,
    pub provider_id: String,
    pub user_id: String,
    #[schema(example = json!("Jean Fokou"))]
    pub sender_name: String,
    pub sender_email: String,
    pub phone_number: Option<String>,
    #[schema(example = json!("Bonjour, êtes-vous disponible samedi matin ?"))]
    pub message: String,
    /// `unread` ou `read`.
    #[schema(example = json!("unread"))]
    pub status: String,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    pub created_at: String,
    #[schema(value_type = Option<crate::openapi::schemas::DateTime>)]
    pub read_at: Option<String>,
}

const BY_PROVIDER: Index = Index::Gsi1;
pub const ALL: Index = Index::Gsi2;
pub const ALL_PARTITION: &str = "CONTACTS";

fn key(id: &str) -> Key {
    Key::new(format!("CONTACT#{id}"), "CONTACT")
}

fn provider_partition(provider_id: &str) -> String {
    format!("CONTACTS#{provider_id}")
}

/// A member's sent request, listed by sender (`CONTACTSBY#<userId>` / `<id>`).
fn sent_key(user_id: &str, id: &str) -> Key {
    Key::new(format!("CONTACTSBY#{user_id}"), id)
}

/// The requests `user_id` sent.
pub async fn sent_by(store: &DynStore, user_id: &str) -> ApiResult<Vec<Contact>> {
    let query = Query::partition(Index::Table, format!("CONTACTSBY#{user_id}"));
    let keys: Vec<Key> = web::pagination::read_all(store, query)
        .await?
        .iter()
        .filter_map(|item| item.get("contactId")?.as_str().map(key))
        .collect();
    let found: Vec<Option<Contact>> = web::item::get_many(store, &keys).await?;
    Ok(found.into_iter().flatten().collect())
}

/// The requests `provider_id` received.
pub async fn received_by(store: &DynStore, provider_id: &str) -> ApiResult<Vec<Contact>> {
    let query = Query::partition(BY_PROVIDER, provider_partition(provider_id));
    web::pagination::read_all(store, query)
        .await?
        .into_iter()
        .map(web::item::parse)
        .collect()
}

/// Removes `contact` with its sender's entry, the totals and, while its provider is there,
/// the provider's count. A request removed already is left as it is.
pub async fn removed(store: &DynStore, contact: &Contact) -> ApiResult<()> {
    let mut ops = vec![
        (
            "contact",
            TxOp::Delete {
                key: key(&contact.id),
                cond: Some(Cond::Exists),
            },
        ),
        (
            "contact_sent",
            TxOp::Delete {
                key: sent_key(&contact.user_id, &contact.id),
                cond: None,
            },
        ),
        ("contacts_total", counters::bump("contacts", -1)),
    ];
    if contact.status == "unread" {
        ops.push(("unread_total", counters::bump("contacts#unread", -1)));
    }
    if providers::find(store, &contact.provider_id)
        .await?
        .is_some()
    {
        let counted = TxOp::Update {
            key: providers::key(&contact.provider_id),
            update: Update::new().add("contactsCount", -1),
            cond: Some(Cond::Exists),
        };
        ops.push(("provider_count", counted));
    }
    match store.transact_named(ops).await {
        Err(e) if e.failed("contact") => Ok(()),
        other => Ok(other?),
    }
}

impl Contact {
    fn placement(&self) -> Placement {
        let place = format!("{}#{}", self.created_at, self.id);
        Placement::new(key(&self.id))
            .listed(
                BY_PROVIDER,
                provider_partition(&self.provider_id),
                place.clone(),
            )
            .listed(ALL, ALL_PARTITION, place)
    }
}

// `POST /api/providers/{id}/contact`.
#[derive(utoipa::ToSchema)]
#[schema(as = ContactMessage, example = json!({"message": "Bonjour, êtes-vous disponible samedi matin ?", "phoneNumber": "+237 6 99 00 11 22"}))]
struct Message {
    #[schema(min_length = 5, max_length = 2000, pattern = "\\S")]
    message: String,
    /// Un numéro où le prestataire peut rappeler.
    #[schema(rename = "phoneNumber", max_length = 30)]
    phone_number: Option<String>,
}

impl TryFrom<&Map<String, Value>> for Message {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut fields = Fields::new(body, &FRENCH);
        let message = fields.required_with("message", |v| match v.as_str().map(str::trim) {
            Some(text) if (5..=2000).contains(&text.chars().count()) => Ok(text.to_owned()),
            _ => Err("message doit contenir de 5 à 2000 caractères".into()),
        });
        let phone_number = fields.optional_with("phoneNumber", |v| {
            let text = v.as_str().map(str::trim).unwrap_or_default();
            let body = text.strip_prefix('+').unwrap_or(text);
            let digits = body.chars().filter(char::is_ascii_digit).count();
            if body.chars().all(|c| c.is_ascii_digit() || c == ' ') && (8..=15).contains(&digits) {
                Ok(text.to_owned())
            } else {
                Err("Numéro de téléphone invalide".into())
            }
        });
        let Some(message) = message else {
            return Err(fields.into_error());
        };
        fields.finish()?;
        Ok(Message {
            message,
            phone_number,
        })
    }
}

#[derive(Serialize, utoipa::ToSchema)]
struct Sent {
    contact: Contact,
}

#[utoipa::path(
    post,
    path = "/api/providers/{id}/contact",
    tag = "Contacts",
    operation_id = "contactProvider",
    summary = "Contacter un prestataire",
    description = "Un membre écrit à un prestataire actif et vérifié (pas le sien) ; le prestataire retrouve la demande dans `GET /api/providers/my-contacts`.",
    request_body = Message,
    responses(
        (status = 201, description = "Demande envoyée.", body = Envelope<Sent>),
        (status = 404, description = "Prestataire inconnu, masqué ou pas encore vérifié.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Prestataire non trouvé"})),
    )
)]
async fn contact(
    State(state): State<AppState>,
    caller: AuthUser,
    PathId(id): PathId<Uuid>,
    Command(message, _): Command<Message>,
) -> ApiResult<(StatusCode, Json<Envelope<Sent>>)> {
    let provider = providers::find(&state.store, &id.to_string())
        .await?
        .filter(|p| p.is_active && p.is_verified)
        .ok_or_else(|| ApiError::not_found("Prestataire non trouvé"))?;
    let user_id = caller.id.to_string();
    if provider.user_id == user_id {
        return Err(ApiError::bad_request(
            "Vous ne pouvez pas contacter votre propre profil",
        ));
    }
    let sender = users::find(&state.store, &user_id)
        .await?
        .ok_or_else(web::auth::session_expired)?;
    let contact = Contact {
        id: Uuid::new_v4().to_string(),
        provider_id: provider.id.clone(),
        user_id,
        sender_name: format!("{} {}", sender.first_name, sender.last_name)
            .trim()
            .to_owned(),
        sender_email: sender.email,
        phone_number: message.phone_number.or(sender.phone_number),
        message: message.message,
        status: "unread".into(),
        created_at: web::time::now(),
        read_at: None,
    };
    let item = contact.placement().item(web::item::record(&contact)?);
    let counted = TxOp::Update {
        key: providers::key(&provider.id),
        update: Update::new().add("contactsCount", 1),
        cond: Some(Cond::Exists),
    };
    let mut sent = sent_key(&contact.user_id, &contact.id).to_item();
    sent.insert("contactId".into(), contact.id.clone().into());
    let ops = vec![
        TxOp::Put {
            item,
            cond: Some(Cond::NotExists),
        },
        TxOp::Put {
            item: sent,
            cond: None,
        },
        counted,
        counters::bump("contacts", 1),
        counters::bump("contacts#unread", 1),
    ];
    state.store.transact(ops).await?;
    Ok(answers::created("Demande envoyée", Sent { contact }))
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = ContactPage)]
struct Contacts {
    contacts: Vec<Contact>,
    pagination: Pagination,
}

#[utoipa::path(
    get,
    path = "/api/providers/my-contacts",
    tag = "Contacts",
    operation_id = "myContacts",
    summary = "Mes demandes de contact",
    description = "Les demandes reçues par le prestataire de l'appelant, des plus récentes aux plus anciennes.",
    params(PageParams),
    responses(
        (status = 200, description = "Une page de demandes.", body = Envelope<Contacts>),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 404, description = "L'appelant n'a pas de profil prestataire.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Profil prestataire non trouvé"})),
    )
)]
async fn mine(
    State(state): State<AppState>,
    caller: AuthUser,
    QueryParams(params): QueryParams<PageParams>,
) -> ApiResult<Json<Envelope<Contacts>>> {
    let pager = params.pager()?;
    let provider = providers::of_caller(&state.store, &caller).await?;
    let query = Query::partition(BY_PROVIDER, provider_partition(&provider.id)).backward();
    let items = read_page(&state.store, query, pager).await?;
    let contacts = items
        .into_iter()
        .map(web::item::parse)
        .collect::<ApiResult<_>>()?;
    Ok(answers::ok(Contacts {
        contacts,
        pagination: Pagination::new(pager, provider.contacts_count),
    }))
}

#[derive(Serialize, utoipa::ToSchema)]
struct Read {
    contact: Contact,
}

#[utoipa::path(
    put,
    path = "/api/providers/my-contacts/{id}/read",
    tag = "Contacts",
    operation_id = "markContactRead",
    summary = "Marquer une demande lue",
    description = "Une demande reçue par le prestataire de l'appelant ; la marquer de nouveau ne change rien.",
    responses(
        (status = 200, description = "Demande lue.", body = Envelope<Read>),
        (status = 404, description = "Demande inconnue, ou d'un autre prestataire.", body = crate::openapi::schemas::Error, example = json!({"success": false, "message": "Demande non trouvée"})),
    )
)]
async fn read(
    State(state): State<AppState>,
    caller: AuthUser,
    PathId(id): PathId<Uuid>,
) -> ApiResult<Json<Envelope<Read>>> {
    let not_found = || ApiError::not_found("Demande non trouvée");
    let (user_id, contact_key) = (caller.id.to_string(), key(&id.to_string()));
    let (provider, found) = tokio::join!(
        providers::of_user(&state.store, &user_id),
        state.store.get(&contact_key)
    );
    let provider = provider?.ok_or_else(not_found)?;
    let mut contact: Contact = found?
        .map(web::item::parse)
        .transpose()?
        .ok_or_else(not_found)?;
    if contact.provider_id != provider.id {
        return Err(not_found());
    }
    if contact.status == "unread" {
        let now = web::time::now();
        let ops = vec![
            TxOp::Update {
                key: key(&contact.id),
                update: Update::new()
                    .set("status", "read")
                    .set("readAt", now.clone()),
                cond: Some(Cond::eq("status", "unread")),
            },
            counters::bump("contacts#unread", -1),
        ];
        match state.store.transact(ops).await {
            // Read meanwhile by another request: nothing more to do.
            Err(e) if e.is_condition_failed() => {}
            other => other?,
        }
        contact.status = "read".into();
        contact.read_at = Some(now);
    }
    Ok(answers::done("Demande lue", Read { contact }))
}
