//! Social (`/api/social`): messages between fans and the club feed.
//!
//! - `sendMessage(conversationId, message)` posts to a conversation its caller is in; with a
//!   `recipientId` instead, it starts the two fans' conversation or reuses it: a pair has one
//!   conversation, whose id is made from the two ids, so two first messages at once land in
//!   the same one.
//! - Each participant's inbox entry (`INBOX#<user>` in gsi1, by last activity) is moved in the
//!   message's transaction, so the conversations list is one query, newest first, with each
//!   one's last message.
//! - The feed is built from real items: the fan's club's events (the ticket office's) and
//!   news (`NEWS#<club>`, the demo data's), newest first.
//!
//! Items: a conversation at `CONV#<id>` / `CONV`; its messages at `CONV#<id>` / `MSG#<at>#<id>`;
//! an inbox entry at `INBOX#<user>` / `CONV#<id>`.
//! - A message sent reaches the other participants' open connections at once ([`live`]).

pub mod live;

use crate::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use store::{Cond, Index, Key, Placement, Query, SortKey, TxOp, Update};
use web::auth::AuthUser;
use web::extract::{Command, PathText, Query as QueryParams};
use web::pagination::{Pager, read_page};
use web::route;
use web::routes::{Access, Endpoint};
use web::validate::{FRENCH, Fields};
use web::{ApiError, ApiResult};

pub fn routes() -> Vec<Endpoint<AppState>> {
    vec![
        route!(send, Access::AnyUser),
        route!(conversations, Access::AnyUser),
        route!(messages, Access::AnyUser),
        route!(feed, Access::AnyUser),
    ]
}

const INBOX: Index = Index::Gsi1;
const MAX_MESSAGE: usize = 2000;

fn conversation_key(id: &str) -> Key {
    Key::new(format!("CONV#{id}"), "CONV")
}

fn inbox_key(user: &str, conversation: &str) -> Key {
    Key::new(format!("INBOX#{user}"), format!("CONV#{conversation}"))
}

/// The one conversation of two fans.
fn pair_id(a: &str, b: &str) -> String {
    let (first, second) = if a < b { (a, b) } else { (b, a) };
    let digest = Sha256::digest(format!("{first}|{second}").as_bytes());
    format!("pair-{:x}", digest)[..37].to_owned()
}

/// A conversation as stored.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
struct Conversation {
    id: String,
    participants: Vec<String>,
}

/// The conversation `id` if `user` is in it; else, whether it exists or not, 404.
async fn conversation_of(state: &AppState, id: &str, user: &str) -> ApiResult<Conversation> {
    state
        .store
        .get(&conversation_key(id))
        .await?
        .map(web::item::parse::<Conversation>)
        .transpose()?
        .filter(|c| c.participants.iter().any(|p| p == user))
        .ok_or_else(|| ApiError::not_found("Conversation introuvable"))
}

/// A message as stored and read.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    #[schema(example = json!("5b0c6f1e-9a2d-4c3b-8e7f-1a2b3c4d5e6f"))]
    pub id: String,
    pub conversation_id: String,
    pub sender_id: String,
    #[schema(example = json!("On se retrouve avant le match ?"))]
    pub message: String,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    pub created_at: String,
}

// `POST /api/social/messages`.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "camelCase")]
#[schema(as = MessageRequest, example = json!({"conversationId": "pair-3f2a...", "message": "On se retrouve avant le match ?"}))]
pub struct Outgoing {
    /// La conversation ; ou bien `recipientId`.
    conversation_id: Option<String>,
    /// Le fan à qui écrire : démarre ou reprend votre conversation avec lui.
    recipient_id: Option<String>,
    #[schema(min_length = 1, max_length = 2000)]
    message: String,
}

fn text(value: &Value) -> Result<String, Cow<'static, str>> {
    match value.as_str().map(str::trim) {
        Some("") | None => Err("doit être un texte non vide".into()),
        Some(t) if t.chars().count() > MAX_MESSAGE => {
            Err(format!("doit contenir au plus {MAX_MESSAGE} caractères").into())
        }
        Some(t) => Ok(t.to_owned()),
    }
}

impl TryFrom<&Map<String, Value>> for Outgoing {
    type Error = ApiError;

    fn try_from(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut fields = Fields::new(body, &FRENCH);
        let message = fields.required_with("message", text);
        let id = |v: &Value| {
            v.as_str()
                .map(str::to_owned)
                .ok_or(Cow::Borrowed("doit être un texte"))
        };
        let conversation_id = fields.optional_with("conversationId", id);
        let recipient_id = fields.optional_with("recipientId", id);
        if conversation_id.is_some() == recipient_id.is_some() {
            fields.refuse("conversationId", "donnez conversationId ou recipientId");
        }
        fields.finish()?;
        message
            .map(|message| Outgoing {
                conversation_id,
                recipient_id,
                message,
            })
            .ok_or_else(|| ApiError::internal("a message refused without a message"))
    }
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = MessageSent)]
struct Sent {
    message: Message,
}

#[utoipa::path(
    post,
    path = "/api/social/messages",
    tag = "Social",
    operation_id = "sendMessage",
    summary = "Envoyer un message",
    description = "`sendMessage(conversationId, message)` : seuls les participants écrivent. Avec `recipientId` au lieu de `conversationId`, démarre ou reprend la conversation des deux fans.",
    request_body = Outgoing,
    responses(
        (status = 201, description = "Envoyé.", body = Sent),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 404, description = "Conversation ou destinataire introuvable (ou dont l'appelant n'est pas).", body = crate::openapi::schemas::Error),
    )
)]
async fn send(
    State(state): State<AppState>,
    caller: AuthUser,
    Command(outgoing, _): Command<Outgoing>,
) -> ApiResult<(StatusCode, Json<Sent>)> {
    let me = caller.id.to_string();
    let conversation = match (&outgoing.conversation_id, &outgoing.recipient_id) {
        (Some(id), _) => conversation_of(&state, id, &me).await?,
        (None, Some(recipient)) => {
            if recipient == &me {
                return Err(ApiError::bad_request("Vous ne pouvez pas vous écrire"));
            }
            if crate::accounts::find(&state.store, recipient)
                .await?
                .is_none()
            {
                return Err(ApiError::not_found("Destinataire introuvable"));
            }
            Conversation {
                id: pair_id(&me, recipient),
                participants: vec![me.clone(), recipient.clone()],
            }
        }
        (None, None) => return Err(ApiError::not_found("Conversation introuvable")),
    };
    let now = web::time::now();
    let message = Message {
        id: uuid::Uuid::new_v4().to_string(),
        conversation_id: conversation.id.clone(),
        sender_id: me.clone(),
        message: outgoing.message,
        created_at: now.clone(),
    };
    let item = Placement::new(Key::new(
        format!("CONV#{}", conversation.id),
        format!("MSG#{now}#{}", message.id),
    ))
    .item(web::item::record(&message)?);
    let mut ops = vec![
        (
            "conversation",
            TxOp::Update {
                key: conversation_key(&conversation.id),
                update: Update::new()
                    .set("id", conversation.id.clone())
                    .set(
                        "participants",
                        serde_json::to_value(&conversation.participants)
                            .map_err(ApiError::internal)?,
                    )
                    .set("updatedAt", now.clone()),
                cond: None,
            },
        ),
        (
            "message",
            TxOp::Put {
                item,
                cond: Some(Cond::NotExists),
            },
        ),
    ];
    for participant in &conversation.participants {
        let other = conversation
            .participants
            .iter()
            .find(|p| *p != participant)
            .cloned()
            .unwrap_or_default();
        let update = Update::new()
            .set("conversationId", conversation.id.clone())
            .set("otherId", other)
            .set(
                "lastMessage",
                web::item::record(&message).map(Value::Object)?,
            )
            .set("updatedAt", now.clone())
            .set(INBOX.pk_attr(), format!("INBOX#{participant}"))
            .set(INBOX.sk_attr(), format!("{now}#{}", conversation.id));
        ops.push((
            "inbox",
            TxOp::Update {
                key: inbox_key(participant, &conversation.id),
                update,
                cond: None,
            },
        ));
    }
    state.store.transact_named(ops).await?;
    live::notify(&state, &conversation, &message).await;
    Ok((StatusCode::CREATED, Json(Sent { message })))
}

#[derive(Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = ConversationSummary)]
struct Summary {
    conversation_id: String,
    /// L'autre fan.
    other_id: String,
    last_message: Message,
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    updated_at: String,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Conversations)]
struct Conversations {
    /// Les plus récentes d'abord.
    conversations: Vec<Summary>,
}

#[utoipa::path(
    get,
    path = "/api/social/conversations",
    tag = "Social",
    operation_id = "getConversations",
    summary = "Conversations",
    description = "Les conversations de l'appelant, les plus récentes d'abord, avec leur dernier message.",
    responses((status = 200, description = "Les conversations.", body = Conversations))
)]
async fn conversations(
    State(state): State<AppState>,
    caller: AuthUser,
) -> ApiResult<Json<Conversations>> {
    let query = Query::partition(INBOX, format!("INBOX#{}", caller.id))
        .backward()
        .limit(100);
    let conversations = web::item::first_page(&state.store, query).await?;
    Ok(Json(Conversations { conversations }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Page {
    #[param(value_type = Option<i64>, minimum = 1)]
    page: Option<String>,
    /// Messages par page (50 par défaut, 100 au plus).
    #[param(value_type = Option<i64>, minimum = 1, default = 50)]
    limit: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = ConversationMessages)]
struct Messages {
    /// Les plus récents d'abord.
    messages: Vec<Message>,
}

#[utoipa::path(
    get,
    path = "/api/social/conversations/{id}/messages",
    tag = "Social",
    operation_id = "getMessages",
    summary = "Messages d'une conversation",
    description = "Les messages, les plus récents d'abord, par pages ; seuls les participants les lisent.",
    params(("id" = String, Path, description = "La conversation."), Page),
    responses(
        (status = 200, description = "Une page de messages.", body = Messages),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 404, description = "Conversation introuvable (ou dont l'appelant n'est pas).", body = crate::openapi::schemas::Error),
    )
)]
async fn messages(
    State(state): State<AppState>,
    caller: AuthUser,
    PathText(id): PathText,
    QueryParams(page): QueryParams<Page>,
) -> ApiResult<Json<Messages>> {
    let pager = Pager::parse(page.page.as_deref(), page.limit.as_deref(), 50)?;
    let me = caller.id.to_string();
    conversation_of(&state, &id, &me).await?;
    let query = Query::partition(Index::Table, format!("CONV#{id}"))
        .sort_key(SortKey::BeginsWith("MSG#".into()))
        .backward();
    let messages = read_page(&state.store, query, pager)
        .await?
        .into_iter()
        .map(web::item::parse)
        .collect::<ApiResult<_>>()?;
    Ok(Json(Messages { messages }))
}

/// A piece of club news, as the demo data writes it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct News {
    pub id: String,
    pub club_id: String,
    pub title: String,
    pub body: String,
    pub published_at: String,
}

impl News {
    pub fn stored(&self) -> ApiResult<store::Item> {
        let key = Key::new(
            format!("NEWS#{}", self.club_id),
            format!("{}#{}", self.published_at, self.id),
        );
        Ok(Placement::new(key).item(web::item::record(self)?))
    }
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = FeedItem)]
struct FeedItem {
    /// `news` ou `event`.
    #[schema(example = json!("news"))]
    kind: &'static str,
    id: String,
    club_id: String,
    title: String,
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<String>,
    /// Publiée (une nouvelle) ou à venir (un match).
    #[schema(value_type = crate::openapi::schemas::DateTime)]
    at: String,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Feed)]
struct Feed {
    items: Vec<FeedItem>,
}

#[utoipa::path(
    get,
    path = "/api/social/feed",
    tag = "Social",
    operation_id = "getFeed",
    summary = "Fil du club",
    description = "Le fil du club de l'appelant, fait d'éléments réels : ses nouvelles, les plus récentes d'abord, puis ses prochains matchs en vente.",
    responses((status = 200, description = "Le fil.", body = Feed))
)]
async fn feed(State(state): State<AppState>, caller: AuthUser) -> ApiResult<Json<Feed>> {
    let user = crate::accounts::find(&state.store, &caller.id.to_string())
        .await?
        .ok_or_else(|| ApiError::not_found("Compte introuvable"))?;
    let news = Query::partition(Index::Table, format!("NEWS#{}", user.club_id))
        .backward()
        .limit(20);
    let (news, events) = tokio::try_join!(
        web::item::first_page::<News>(&state.store, news),
        crate::tickets::club_events(&state, &user.club_id),
    )?;
    let mut items: Vec<FeedItem> = news
        .into_iter()
        .map(|n| FeedItem {
            kind: "news",
            id: n.id,
            club_id: n.club_id,
            title: n.title,
            body: Some(n.body),
            at: n.published_at,
        })
        .collect();
    items.extend(events.into_iter().map(|(e, _)| FeedItem {
        kind: "event",
        id: e.id,
        club_id: e.club_id,
        title: format!("{} – {}", e.name, e.venue),
        body: None,
        at: e.starts_at,
    }));
    Ok(Json(Feed { items }))
}
