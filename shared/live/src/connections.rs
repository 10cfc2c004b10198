//! Connections and rooms, in the product's table: API Gateway keeps the sockets, and which
//! user each one belongs to, and which rooms it joined, live here (rooms are not on the
//! wire). Every item expires two hours and a margin after its connection opened, when API
//! Gateway has closed it anyway, so a `$disconnect` that never came leaves nothing behind.

use serde::{Deserialize, Serialize};
use store::{Cond, DynStore, Index, Key, Placement, Query, TxOp, Update};
use web_core::{ApiError, ApiResult, item};

/// API Gateway closes every connection after two hours.
pub const MAX_LIFETIME_SECS: i64 = 2 * 3600;
/// How long the table keeps a connection's items beyond that.
const EXPIRY_MARGIN_SECS: i64 = 600;

/// Where the heartbeat finds every connection.
const ALL: Index = Index::Gsi2;
/// Where a user's connections are listed, once events for them may reach it.
const BY_USER: Index = Index::Gsi1;

/// One connection, as its events need it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Connection {
    pub id: String,
    /// The signed-in user, once their token was checked.
    #[serde(default)]
    pub user: Option<String>,
    #[serde(default)]
    pub role: Option<String>,
    /// The session their token belongs to: a connection ends with its session.
    #[serde(default)]
    pub session: Option<String>,
    /// Whether events for its user reach it (listed under the user).
    #[serde(default)]
    pub listed: bool,
    #[serde(default)]
    pub rooms: Vec<String>,
    /// Milliseconds since the epoch.
    pub connected_at: i64,
}

/// Who a connection's user is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub user: String,
    pub role: Option<String>,
    pub session: String,
}

/// A connection an event goes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    pub connection: String,
    #[serde(default)]
    pub session: Option<String>,
}

fn key(id: &str) -> Key {
    Key::new(format!("LIVE#{id}"), "LIVE")
}

fn room_key(room: &str, id: &str) -> Key {
    Key::new(format!("LIVEROOM#{room}"), id)
}

fn user_partition(user: &str) -> String {
    format!("LIVEUSER#{user}")
}

fn expiry(connected_at_ms: i64) -> i64 {
    connected_at_ms / 1000 + MAX_LIFETIME_SECS + EXPIRY_MARGIN_SECS
}

impl Connection {
    pub fn new(id: &str, caller: Option<Caller>) -> Connection {
        let (user, role, session) = match caller {
            Some(c) => (Some(c.user), c.role, Some(c.session)),
            None => (None, None, None),
        };
        Connection {
            id: id.to_owned(),
            user,
            role,
            session,
            listed: false,
            rooms: Vec::new(),
            connected_at: chrono::Utc::now().timestamp_millis(),
        }
    }

    fn fields(&self) -> ApiResult<store::Item> {
        let mut fields = item::record(self)?;
        fields.insert("ttl".into(), expiry(self.connected_at).into());
        Ok(fields)
    }

    /// Its user, once known.
    pub fn caller(&self) -> Option<Caller> {
        Some(Caller {
            user: self.user.clone()?,
            role: self.role.clone(),
            session: self.session.clone()?,
        })
    }

    pub fn recipient(&self) -> Recipient {
        Recipient {
            connection: self.id.clone(),
            session: self.session.clone(),
        }
    }
}

/// Stores a connection API Gateway accepted.
pub async fn open(store: &DynStore, connection: &Connection) -> ApiResult<()> {
    let placement = Placement::new(key(&connection.id)).listed(
        ALL,
        "LIVE",
        format!("{:013}#{}", connection.connected_at, connection.id),
    );
    let item = placement.item(connection.fields()?);
    store
        .put(item, Some(Cond::attr_not_exists("pk")))
        .await
        .map_err(|e| ApiError::internal(format!("a connection stored twice: {e}")))
}

pub async fn get(store: &DynStore, id: &str) -> ApiResult<Option<Connection>> {
    item::get(store, &key(id)).await
}

/// Lists the connection `id` under `caller`, its user (whose token was checked at
/// `$connect` or since), in one write: events for them reach it from now on.
pub async fn list(store: &DynStore, id: &str, caller: &Caller) -> ApiResult<()> {
    let update = Update::new()
        .set("user", caller.user.clone())
        .set("role", caller.role.clone())
        .set("session", caller.session.clone())
        .set("listed", true)
        .set(BY_USER.pk_attr(), user_partition(&caller.user))
        .set(BY_USER.sk_attr(), id.to_owned());
    store
        .update(&key(id), update, Some(Cond::attr_exists("pk")))
        .await?;
    Ok(())
}

/// Puts the connection in `room`.
pub async fn join(store: &DynStore, connection: &Connection, room: &str) -> ApiResult<()> {
    if connection.rooms.iter().any(|r| r == room) {
        return Ok(());
    }
    let mut rooms = connection.rooms.clone();
    rooms.push(room.to_owned());
    let mut member = item::record(&connection.recipient())?;
    member.extend(room_key(room, &connection.id).to_item());
    member.insert("ttl".into(), expiry(connection.connected_at).into());
    store
        .transact(vec![
            TxOp::Update {
                key: key(&connection.id),
                update: Update::new().set("rooms", rooms),
                cond: Some(Cond::attr_exists("pk")),
            },
            TxOp::Put {
                item: member,
                cond: None,
            },
        ])
        .await?;
    Ok(())
}

/// Removes a connection and its memberships (closed, gone, or its session ended).
pub async fn forget(store: &DynStore, id: &str) -> ApiResult<()> {
    let Some(connection) = store.delete(&key(id), None).await? else {
        return Ok(());
    };
    let rooms = item::parse::<Connection>(connection)?.rooms;
    for room in rooms {
        store.delete(&room_key(&room, id), None).await?;
    }
    Ok(())
}

/// The listed connections of `user`.
pub async fn of_user(store: &DynStore, user: &str) -> ApiResult<Vec<Recipient>> {
    let connections: Vec<Connection> =
        item::all(store, Query::partition(BY_USER, user_partition(user))).await?;
    Ok(connections.iter().map(Connection::recipient).collect())
}

/// The connections in `room`.
pub async fn in_room(store: &DynStore, room: &str) -> ApiResult<Vec<Recipient>> {
    let partition = Query::partition(Index::Table, room_key(room, "").pk);
    item::all(store, partition).await
}

/// Every connection, oldest first.
pub async fn all(store: &DynStore) -> ApiResult<Vec<Connection>> {
    item::all(store, Query::partition(ALL, "LIVE")).await
}
