//! The embedded adapter: one SQLite database file per table, durable on disk (WAL), with the
//! same semantics as DynamoDB for conditions, transactions, GSIs and cursors. Conditions and
//! updates are evaluated in Rust (`crate::eval`) inside one SQLite transaction, under a mutex
//! that serialises writers, so conditional increments never lose an update. On disk, `get` and
//! `query` run on read-only connections of their own: WAL lets them read the last commit while
//! the writer works, so a read never waits behind a write or its checkpoint.

use crate::eval::{self, now_epoch};
use crate::{
    Cond, Cursor, Index, Item, Key, Page, Query, SortKey, Store, StoreError, StoreResult, TTL,
    TxOp, Update,
};
use async_trait::async_trait;
use rusqlite::{
    Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior, params,
    params_from_iter,
};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS items (
    pk TEXT NOT NULL, sk TEXT NOT NULL, doc TEXT NOT NULL, ttl INTEGER,
    gsi1pk TEXT, gsi1sk TEXT, gsi2pk TEXT, gsi2sk TEXT, gsi3pk TEXT, gsi3sk TEXT,
    PRIMARY KEY (pk, sk)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS gsi1 ON items (gsi1pk, gsi1sk, pk, sk) WHERE gsi1pk IS NOT NULL;
CREATE INDEX IF NOT EXISTS gsi2 ON items (gsi2pk, gsi2sk, pk, sk) WHERE gsi2pk IS NOT NULL;
CREATE INDEX IF NOT EXISTS gsi3 ON items (gsi3pk, gsi3sk, pk, sk) WHERE gsi3pk IS NOT NULL;
CREATE INDEX IF NOT EXISTS expiry ON items (ttl) WHERE ttl IS NOT NULL;
";

/// Read-only connections a file store keeps beside its writer.
const READERS: usize = 4;

/// How long a connection waits for a lock SQLite holds only briefly (the writer's, or the
/// WAL index while a checkpoint resets it) before the store answers `Unavailable`.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Clone)]
pub struct EmbeddedStore {
    writer: Arc<Mutex<Connection>>,
    /// Empty for an in-memory store, whose data only its one connection can see.
    readers: Arc<Readers>,
}

struct Readers {
    connections: Vec<Mutex<Connection>>,
    next: AtomicUsize,
}

impl Readers {
    fn open(path: &Path, count: usize) -> StoreResult<Self> {
        let connections = (0..count)
            .map(|_| open_reader(path).map(Mutex::new))
            .collect::<StoreResult<_>>()?;
        Ok(Readers {
            connections,
            next: AtomicUsize::new(0),
        })
    }

    fn none() -> Self {
        Readers {
            connections: Vec::new(),
            next: AtomicUsize::new(0),
        }
    }
}

/// Settings every connection to a database file shares.
fn tune(conn: &Connection) -> StoreResult<()> {
    // Pages read through a memory map covering the whole file (a 100,000-item table is
    // ~320 MB; address space, not memory) and a 32 MB cache rather than read(2) into
    // SQLite's default 2 MB: a page of a list then costs about the same at 100,000 items as
    // at 1,000 (bench/results/scale.md).
    conn.pragma_update(None, "mmap_size", 1024 * 1024 * 1024)
        .map_err(sql_error)?;
    conn.pragma_update(None, "cache_size", -32 * 1024)
        .map_err(sql_error)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(sql_error)
}

fn open_reader(path: &Path) -> StoreResult<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(sql_error)?;
    tune(&conn)?;
    Ok(conn)
}

impl EmbeddedStore {
    /// Opens (creating if needed) the database file at `path`, and clears items whose TTL has
    /// passed, as DynamoDB's TTL eventually does.
    pub fn open(path: &Path) -> StoreResult<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::Unavailable(format!("{}: {e}", dir.display())))?;
        }
        owner_only(path)
            .map_err(|e| StoreError::Unavailable(format!("{}: {e}", path.display())))?;
        let conn = Connection::open(path).map_err(sql_error)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sql_error)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(sql_error)?;
        tune(&conn)?;
        let writer = Self::prepare(conn)?;
        // Readers open once the writer has made the file a WAL database with its schema.
        Ok(EmbeddedStore {
            writer,
            readers: Arc::new(Readers::open(path, READERS)?),
        })
    }

    /// A store that lives in memory and is gone with the process.
    pub fn in_memory() -> StoreResult<Self> {
        let writer = Self::prepare(Connection::open_in_memory().map_err(sql_error)?)?;
        Ok(EmbeddedStore {
            writer,
            readers: Arc::new(Readers::none()),
        })
    }

    fn prepare(conn: Connection) -> StoreResult<Arc<Mutex<Connection>>> {
        conn.execute_batch(SCHEMA).map_err(sql_error)?;
        conn.execute("DELETE FROM items WHERE ttl <= ?1", params![now_epoch()])
            .map_err(sql_error)?;
        Ok(Arc::new(Mutex::new(conn)))
    }

    /// Runs `work` on the writer connection off the async runtime's threads.
    async fn with_writer<T, F>(&self, work: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> StoreResult<T> + Send + 'static,
    {
        let writer = Arc::clone(&self.writer);
        tokio_blocking(move || work(&mut *lock(&writer)?)).await
    }

    /// Runs read-only `work` on a free reader connection (the writer's when there are none).
    async fn with_reader<T, F>(&self, work: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> StoreResult<T> + Send + 'static,
    {
        if self.readers.connections.is_empty() {
            return self.with_writer(work).await;
        }
        let readers = Arc::clone(&self.readers);
        tokio_blocking(move || {
            let pool = &readers.connections;
            if let Some(mut free) = pool.iter().find_map(|c| c.try_lock().ok()) {
                return work(&mut free);
            }
            // All busy: queue on them in turn rather than all on the first.
            let turn = readers.next.fetch_add(1, Ordering::Relaxed) % pool.len();
            work(&mut *lock(&pool[turn])?)
        })
        .await
    }
}

fn lock(conn: &Mutex<Connection>) -> StoreResult<std::sync::MutexGuard<'_, Connection>> {
    conn.lock()
        .map_err(|_| StoreError::Internal("embedded store lock poisoned".into()))
}

async fn tokio_blocking<T, F>(work: F) -> StoreResult<T>
where
    T: Send + 'static,
    F: FnOnce() -> StoreResult<T> + Send + 'static,
{
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result,
        Err(e) => Err(StoreError::Internal(format!(
            "embedded store task failed: {e}"
        ))),
    }
}

fn sql_error(e: rusqlite::Error) -> StoreError {
    match e {
        rusqlite::Error::SqliteFailure(code, _)
            if matches!(
                code.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            ) =>
        {
            StoreError::Unavailable(e.to_string())
        }
        other => StoreError::Internal(other.to_string()),
    }
}

fn read(tx: &Transaction<'_>, key: &Key) -> StoreResult<Option<Item>> {
    let doc: Option<String> = tx
        .query_row(
            "SELECT doc FROM items WHERE pk = ?1 AND sk = ?2",
            params![key.pk, key.sk],
            |row| row.get(0),
        )
        .optional()
        .map_err(sql_error)?;
    doc.map(|d| parse_doc(&d)).transpose()
}

fn parse_doc(doc: &str) -> StoreResult<Item> {
    serde_json::from_str(doc).map_err(|e| StoreError::Internal(format!("corrupt item: {e}")))
}

fn index_key(item: &Item, index: Index) -> (Option<&str>, Option<&str>) {
    let pk = item.get(index.pk_attr()).and_then(Value::as_str);
    let sk = item.get(index.sk_attr()).and_then(Value::as_str);
    match (pk, sk) {
        (Some(pk), Some(sk)) => (Some(pk), Some(sk)),
        _ => (None, None),
    }
}

fn write(tx: &Transaction<'_>, item: &Item) -> StoreResult<()> {
    eval::validate_item(item)?;
    let key = Key::of(item).ok_or_else(|| StoreError::Invalid("item without key".into()))?;
    let doc = serde_json::to_string(item).map_err(|e| StoreError::Internal(e.to_string()))?;
    let ttl = item.get(TTL).and_then(Value::as_i64);
    let (g1p, g1s) = index_key(item, Index::Gsi1);
    let (g2p, g2s) = index_key(item, Index::Gsi2);
    let (g3p, g3s) = index_key(item, Index::Gsi3);
    tx.execute(
        "INSERT OR REPLACE INTO items (pk, sk, doc, ttl, gsi1pk, gsi1sk, gsi2pk, gsi2sk, gsi3pk, gsi3sk)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![key.pk, key.sk, doc, ttl, g1p, g1s, g2p, g2s, g3p, g3s],
    )
    .map_err(sql_error)?;
    Ok(())
}

fn remove(tx: &Transaction<'_>, key: &Key) -> StoreResult<()> {
    tx.execute(
        "DELETE FROM items WHERE pk = ?1 AND sk = ?2",
        params![key.pk, key.sk],
    )
    .map_err(sql_error)?;
    Ok(())
}

fn check(cond: Option<&Cond>, current: Option<&Item>, op: Option<usize>) -> StoreResult<()> {
    match cond {
        Some(c) if !eval::holds(c, current) => Err(StoreError::ConditionFailed { op, label: None }),
        _ => Ok(()),
    }
}

fn check_key(key: &Key) -> StoreResult<()> {
    if key.pk.is_empty() || key.sk.is_empty() {
        return Err(StoreError::Invalid("empty key".into()));
    }
    Ok(())
}

/// Applies one write operation inside an open transaction; `op` names it in errors.
fn apply_op(tx: &Transaction<'_>, op: &TxOp, index: Option<usize>) -> StoreResult<Option<Item>> {
    match op {
        TxOp::Put { item, cond } => {
            eval::validate_item(item)?;
            let key =
                Key::of(item).ok_or_else(|| StoreError::Invalid("item without key".into()))?;
            let current = read(tx, &key)?;
            check(cond.as_ref(), current.as_ref(), index)?;
            write(tx, item)?;
            Ok(Some(item.clone()))
        }
        TxOp::Update { key, update, cond } => {
            check_key(key)?;
            eval::validate_update(update)?;
            let current = read(tx, key)?;
            check(cond.as_ref(), current.as_ref(), index)?;
            let mut next = current.unwrap_or_else(|| key.to_item());
            eval::apply(update, &mut next)?;
            write(tx, &next)?;
            Ok(Some(next))
        }
        TxOp::Delete { key, cond } => {
            check_key(key)?;
            let current = read(tx, key)?;
            check(cond.as_ref(), current.as_ref(), index)?;
            remove(tx, key)?;
            Ok(current)
        }
        TxOp::Check { key, cond } => {
            check_key(key)?;
            let current = read(tx, key)?;
            check(Some(cond), current.as_ref(), index)?;
            Ok(None)
        }
    }
}

/// Opens a write transaction. IMMEDIATE takes the write lock at BEGIN, where SQLite waits
/// out the busy timeout; a deferred one would take it at its first write, after its read,
/// where SQLite answers SQLITE_BUSY at once if a reader holds that lock for a moment (a
/// reader does while it re-reads a WAL index header it caught mid-update).
fn begin_write(conn: &mut Connection) -> StoreResult<Transaction<'_>> {
    conn.transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(sql_error)
}

/// Runs one operation in its own SQLite transaction: committed only when it succeeds.
fn single(conn: &mut Connection, op: TxOp) -> StoreResult<Option<Item>> {
    let tx = begin_write(conn)?;
    let result = apply_op(&tx, &op, None)?;
    tx.commit().map_err(sql_error)?;
    Ok(result)
}

#[async_trait]
impl Store for EmbeddedStore {
    async fn get(&self, key: &Key) -> StoreResult<Option<Item>> {
        check_key(key)?;
        let key = key.clone();
        let item = self
            .with_reader(move |conn| {
                let tx = conn.transaction().map_err(sql_error)?;
                read(&tx, &key)
            })
            .await?;
        Ok(item.filter(|i| !eval::is_expired(i, now_epoch())))
    }

    async fn put(&self, item: Item, cond: Option<Cond>) -> StoreResult<()> {
        self.with_writer(move |conn| single(conn, TxOp::Put { item, cond }))
            .await
            .map(|_| ())
    }

    async fn update(&self, key: &Key, update: Update, cond: Option<Cond>) -> StoreResult<Item> {
        let key = key.clone();
        let updated = self
            .with_writer(move |conn| single(conn, TxOp::Update { key, update, cond }))
            .await?;
        updated.ok_or_else(|| StoreError::Internal("update returned no item".into()))
    }

    async fn delete(&self, key: &Key, cond: Option<Cond>) -> StoreResult<Option<Item>> {
        let key = key.clone();
        self.with_writer(move |conn| single(conn, TxOp::Delete { key, cond }))
            .await
    }

    async fn query(&self, query: Query) -> StoreResult<Page> {
        if query.limit == 0 {
            return Err(StoreError::Invalid("query limit must be positive".into()));
        }
        self.with_reader(move |conn| run_query(conn, &query)).await
    }

    async fn transact(&self, ops: Vec<TxOp>) -> StoreResult<()> {
        eval::validate_transaction(&ops)?;
        self.with_writer(move |conn| {
            let tx = begin_write(conn)?;
            for (i, op) in ops.iter().enumerate() {
                // Dropping `tx` on error rolls every earlier operation back.
                apply_op(&tx, op, Some(i))?;
            }
            tx.commit().map_err(sql_error)
        })
        .await
    }
}

fn run_query(conn: &mut Connection, query: &Query) -> StoreResult<Page> {
    let (pk_col, sk_col) = (query.index.pk_attr(), query.index.sk_attr());
    let mut sql = format!("SELECT doc, pk, sk, {sk_col} FROM items WHERE {pk_col} = ?");
    let mut args: Vec<String> = vec![query.pk.clone()];
    if query.index != Index::Table {
        sql.push_str(&format!(" AND {sk_col} IS NOT NULL"));
    }
    if let Some(cond) = &query.sk {
        let (clause, values) = sort_key_clause(sk_col, cond);
        sql.push_str(&clause);
        args.extend(values);
    }
    if let Some(cursor) = &query.cursor {
        let (clause, values) = cursor_clause(query, cursor)?;
        sql.push_str(&clause);
        args.extend(values);
    }
    let dir = if query.forward { "ASC" } else { "DESC" };
    if query.index == Index::Table {
        sql.push_str(&format!(" ORDER BY sk {dir}"));
    } else {
        sql.push_str(&format!(" ORDER BY {sk_col} {dir}, pk {dir}, sk {dir}"));
    }
    // One row beyond the limit tells whether another page exists.
    sql.push_str(&format!(" LIMIT {}", u64::from(query.limit) + 1));

    let tx = conn.transaction().map_err(sql_error)?;
    let mut stmt = tx.prepare_cached(&sql).map_err(sql_error)?;
    let rows = stmt
        .query_map(params_from_iter(args.iter()), |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
            ))
        })
        .map_err(sql_error)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(sql_error)?;

    let more = rows.len() > query.limit as usize;
    let mut page = Page::default();
    let mut last = None;
    for (doc, pk, sk, isk) in rows.into_iter().take(query.limit as usize) {
        let item = parse_doc(&doc)?;
        if query
            .filter
            .as_ref()
            .is_none_or(|f| eval::holds(f, Some(&item)))
        {
            page.items.push(item);
        }
        last = Some((pk, sk, isk));
    }
    if more && let Some((pk, sk, isk)) = last {
        let mut key = BTreeMap::from([("pk".to_string(), pk), ("sk".to_string(), sk)]);
        if query.index != Index::Table {
            key.insert(query.index.pk_attr().into(), query.pk.clone());
            key.insert(query.index.sk_attr().into(), isk);
        }
        page.next = Some(Cursor(key));
    }
    Ok(page)
}

fn sort_key_clause(col: &str, cond: &SortKey) -> (String, Vec<String>) {
    match cond {
        SortKey::Eq(v) => (format!(" AND {col} = ?"), vec![v.clone()]),
        SortKey::Lt(v) => (format!(" AND {col} < ?"), vec![v.clone()]),
        SortKey::Le(v) => (format!(" AND {col} <= ?"), vec![v.clone()]),
        SortKey::Gt(v) => (format!(" AND {col} > ?"), vec![v.clone()]),
        SortKey::Ge(v) => (format!(" AND {col} >= ?"), vec![v.clone()]),
        SortKey::Between(a, b) => (
            format!(" AND {col} BETWEEN ? AND ?"),
            vec![a.clone(), b.clone()],
        ),
        // The range lets SQLite use the index; the substr test is the exact prefix match.
        SortKey::BeginsWith(p) => (
            format!(" AND {col} >= ? AND {col} <= ? AND substr({col}, 1, length(?)) = ?"),
            vec![p.clone(), format!("{p}\u{10FFFF}"), p.clone(), p.clone()],
        ),
    }
}

fn cursor_clause(query: &Query, cursor: &Cursor) -> StoreResult<(String, Vec<String>)> {
    let get = |name: &str| cursor.0.get(name).cloned().ok_or(StoreError::InvalidCursor);
    let op = if query.forward { ">" } else { "<" };
    if query.index == Index::Table {
        if get("pk")? != query.pk {
            return Err(StoreError::InvalidCursor);
        }
        return Ok((format!(" AND sk {op} ?"), vec![get("sk")?]));
    }
    if get(query.index.pk_attr())? != query.pk {
        return Err(StoreError::InvalidCursor);
    }
    let sk_col = query.index.sk_attr();
    Ok((
        format!(" AND ({sk_col}, pk, sk) {op} (?, ?, ?)"),
        vec![get(sk_col)?, get("pk")?, get("sk")?],
    ))
}

/// Creates the database file readable by its owner only (SQLite gives its WAL and shared
/// memory files the database's permissions), or makes an older one so: it holds accounts.
fn owner_only(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(path)?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}
