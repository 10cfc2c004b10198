//! The fault test: a store that becomes unavailable after a given number of operations, and
//! a sweep that fails each request at every point it touches the store in turn. At
//! each point the request must answer 503 with the error JSON and must have written nothing
//! but bookkeeping (rate-limit windows, id counters); once the store is back it succeeds.

use crate::{Reply, Server};
use async_trait::async_trait;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::sync::{Arc, Mutex, MutexGuard};
use store::{Cond, DynStore, Item, Key, Page, Query, Store, StoreError, StoreResult, TxOp, Update};
use web::routes::Route;

#[derive(Default)]
struct Faults {
    /// Operations that still succeed; `None` when the store is healthy.
    ops_left: Option<usize>,
    /// Keys written by operations that succeeded since the last `take_writes`.
    writes: Vec<Key>,
    /// Operations asked for since the last `take_ops`, failed or not.
    ops: usize,
    /// Transactions still to be refused as DynamoDB refuses one that met a concurrent
    /// transaction on one of its items.
    conflicts: usize,
}

/// Wraps a store; healthy until told to fail.
pub struct FaultyStore {
    inner: DynStore,
    faults: Mutex<Faults>,
}

impl FaultyStore {
    pub fn new(inner: DynStore) -> Arc<Self> {
        Arc::new(FaultyStore {
            inner,
            faults: Mutex::new(Faults::default()),
        })
    }

    fn faults(&self) -> MutexGuard<'_, Faults> {
        self.faults
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// `n` more operations succeed, then every one fails as an unreachable store does.
    pub fn fail_after(&self, n: usize) {
        self.faults().ops_left = Some(n);
    }

    /// The next `n` transactions are refused with `TransactionConflict`, writing nothing.
    pub fn conflict_next(&self, n: usize) {
        self.faults().conflicts = n;
    }

    /// Transactions still to be refused as conflicting.
    pub fn conflicts_left(&self) -> usize {
        self.faults().conflicts
    }

    pub fn heal(&self) {
        self.faults().ops_left = None;
    }

    pub fn take_writes(&self) -> Vec<Key> {
        std::mem::take(&mut self.faults().writes)
    }

    /// How many operations were asked for since the last call.
    pub fn take_ops(&self) -> usize {
        std::mem::take(&mut self.faults().ops)
    }

    fn admit(&self) -> StoreResult<()> {
        let mut faults = self.faults();
        faults.ops += 1;
        match faults.ops_left {
            Some(0) => Err(StoreError::Unavailable("injected fault".into())),
            Some(n) => {
                faults.ops_left = Some(n - 1);
                Ok(())
            }
            None => Ok(()),
        }
    }

    fn wrote<T>(
        &self,
        result: StoreResult<T>,
        keys: impl IntoIterator<Item = Key>,
    ) -> StoreResult<T> {
        if result.is_ok() {
            self.faults().writes.extend(keys);
        }
        result
    }
}

#[async_trait]
impl Store for FaultyStore {
    async fn get(&self, key: &Key) -> StoreResult<Option<Item>> {
        self.admit()?;
        self.inner.get(key).await
    }

    async fn put(&self, item: Item, cond: Option<Cond>) -> StoreResult<()> {
        self.admit()?;
        let key = Key::of(&item);
        let result = self.inner.put(item, cond).await;
        self.wrote(result, key)
    }

    async fn update(&self, key: &Key, update: Update, cond: Option<Cond>) -> StoreResult<Item> {
        // A request's analytics are moved after it answered, and their failure is never its
        // own: they are not one of the request's operations to fail.
        if key.pk.starts_with(web::analytics::PREFIX) {
            return self.inner.update(key, update, cond).await;
        }
        self.admit()?;
        let result = self.inner.update(key, update, cond).await;
        self.wrote(result, [key.clone()])
    }

    async fn delete(&self, key: &Key, cond: Option<Cond>) -> StoreResult<Option<Item>> {
        self.admit()?;
        let result = self.inner.delete(key, cond).await;
        // A conditional delete that found nothing still "succeeds" with None.
        let deleted = matches!(result, Ok(Some(_)));
        self.wrote(result, deleted.then(|| key.clone()))
    }

    async fn query(&self, query: Query) -> StoreResult<Page> {
        self.admit()?;
        self.inner.query(query).await
    }

    async fn transact(&self, ops: Vec<TxOp>) -> StoreResult<()> {
        self.admit()?;
        {
            let mut faults = self.faults();
            if faults.conflicts > 0 {
                faults.conflicts -= 1;
                return Err(StoreError::Conflict);
            }
        }
        let keys: Vec<Key> = ops
            .iter()
            .filter(|op| !matches!(op, TxOp::Check { .. }))
            .filter_map(TxOp::key)
            .collect();
        let result = self.inner.transact(ops).await;
        self.wrote(result, keys)
    }
}

/// One request of the sweep.
pub struct FaultCase {
    /// The route it exercises, as in the route table.
    pub route: (&'static str, &'static str),
    pub path: String,
    pub token: Option<String>,
    pub body: Option<Value>,
}

/// Store operations a request may make before the sweep gives up on it.
const MAX_FAULT_POINTS: usize = 40;

/// Fails `case` at its first, second, ... store operation until it gets through; returns
/// what went wrong at each point. `bookkeeping` tells the keys a failed request may leave
/// written (a rate-limit window, an id counter).
pub async fn sweep(
    app: &Server,
    faulty: &FaultyStore,
    case: &FaultCase,
    bookkeeping: fn(&Key) -> bool,
    is_unavailable: &dyn Fn(&Reply) -> bool,
) -> Vec<String> {
    let (method, template) = case.route;
    let method_value = Method::from_bytes(method.as_bytes()).expect("a valid method");
    let mut failures = Vec::new();
    // A read may answer a refusal with nothing prepared (`GET /api/providers/my-application`
    // of a caller who never applied: 404): its answer with the store up, and how many store
    // operations it takes, say where the sweep ends. Each operation before must fail it.
    let baseline = match method {
        "GET" | "HEAD" => {
            faulty.take_ops();
            let healthy = app
                .call(
                    method_value.clone(),
                    &case.path,
                    case.token.as_deref(),
                    case.body.clone(),
                )
                .await;
            Some((healthy.status, faulty.take_ops()))
        }
        _ => None,
    };
    faulty.take_writes();
    for point in 0..MAX_FAULT_POINTS {
        faulty.fail_after(point);
        let reply: Reply = app
            .call(
                method_value.clone(),
                &case.path,
                case.token.as_deref(),
                case.body.clone(),
            )
            .await;
        faulty.heal();
        let written: Vec<Key> = faulty
            .take_writes()
            .into_iter()
            .filter(|key| !bookkeeping(key))
            .collect();
        let as_healthy =
            baseline.is_some_and(|(status, ops)| point >= ops && reply.status == status);
        if reply.status.is_success() || as_healthy {
            if point == 0 {
                failures.push(format!(
                    "{method} {template}: succeeded with the store down"
                ));
            }
            return failures;
        }
        if reply.status != StatusCode::SERVICE_UNAVAILABLE || !is_unavailable(&reply) {
            failures.push(format!(
                "{method} {template}, store down after {point} operations: {} {}",
                reply.status, reply.body
            ));
        }
        if !written.is_empty() {
            failures.push(format!(
                "{method} {template}, store down after {point} operations: answered {} \
                 but wrote {written:?}",
                reply.status
            ));
        }
        if !failures.is_empty() {
            return failures;
        }
    }
    failures.push(format!(
        "{method} {template}: still failing after {MAX_FAULT_POINTS} store operations"
    ));
    failures
}

/// What a failed request may leave written in any product: rate-limit windows (every
/// request counts, even one that fails) and id counters (an id taken by a failed request is
/// skipped, as a database sequence does).
pub fn bookkeeping(key: &Key) -> bool {
    key.pk.starts_with("RATE#") || key.pk == "COUNTER"
}

/// Every route of `routes` has a case: a new route cannot go untested.
pub fn uncovered_routes(routes: &[Route], cases: &[FaultCase]) -> Vec<String> {
    routes
        .iter()
        .filter(|route| !cases.iter().any(|c| c.route == (route.method, route.path)))
        .map(|route| format!("{} {}: no fault case", route.method, route.path))
        .collect()
}
