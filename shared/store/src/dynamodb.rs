//! The DynamoDB adapter (aws-sdk-dynamodb): the production store.
//!
//! Items are converted by hand between JSON and DynamoDB attribute values (string → `S`,
//! number → `N`, bool → `BOOL`, null → `NULL`, array → `L`, object → `M`). Every expression is
//! built with placeholders only (`#n0`, `:v0`, ...), so reserved words such as `ttl` are safe,
//! and only the names and values an expression uses are sent. Requests are validated the way
//! the embedded adapter validates them before anything reaches AWS.
//!
//! Reads of one item (`get`) and queries on the table are strongly consistent, so a write is
//! visible to the next read as it is on the embedded store; GSI queries are eventually
//! consistent, as DynamoDB allows nothing else.
//!
//! Queries: a filter goes to DynamoDB as a FilterExpression, except one naming the queried
//! key attributes (DynamoDB refuses those), which is applied here to the same items. Without a
//! FilterExpression the query reads one item beyond the limit, so `next` is present only when
//! more items follow; with one, `next` is DynamoDB's LastEvaluatedKey, which may lead to an
//! empty last page. Ordering comparisons (`<`, `<=`, `>`, `>=`) with a value that is neither a
//! number nor a string are false, as in [`crate::eval`] (DynamoDB would refuse them).

mod batch;

use crate::eval::{self, now_epoch};
use crate::{
    Cond, Cursor, Index, Item, Key, PK, Page, Query, SK, SortKey, Store, StoreError, StoreResult,
    TTL, TxOp, Update,
};
use async_trait::async_trait;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::config::{AsyncSleep, BehaviorVersion, Credentials, Region};
use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, ConditionCheck, Delete, GlobalSecondaryIndex,
    IndexStatus, KeySchemaElement, KeyType, Projection, ProjectionType, Put, ReturnValue,
    ScalarAttributeType, TableStatus, TimeToLiveSpecification, TimeToLiveStatus, TransactWriteItem,
};
use serde_json::{Map, Number, Value};
use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

/// Attribute values of one item, as the SDK holds them.
pub type Attributes = HashMap<String, AttributeValue>;

/// How long `create_table_if_missing` waits for the table and its indexes to become ACTIVE.
const TABLE_ACTIVE_TIMEOUT: Duration = Duration::from_secs(300);
const TABLE_POLL_INTERVAL: Duration = Duration::from_millis(500);

/// A store on one DynamoDB table keyed by `pk`/`sk` with the GSIs `gsi1`..`gsi3`.
#[derive(Clone, Debug)]
pub struct DynamoStore {
    client: Client,
    table: String,
    /// Whether the endpoint is plain HTTP (DynamoDB Local), with no handshake to get ahead of.
    plain_http: bool,
}

impl DynamoStore {
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        DynamoStore {
            client,
            table: table.into(),
            plain_http: false,
        }
    }

    /// A store configured the way Lambda configures a function: region, the execution
    /// role's credentials and an optional endpoint, all from environment variables. No
    /// provider chain (profiles, SSO, IMDS): Lambda sets the variables, and building the
    /// chain was a sizeable part of a function's init and binary (bench/results/README.md).
    pub fn from_lambda_env(table: impl Into<String>) -> StoreResult<Self> {
        let env = aws_env::LambdaEnv::from_process("AWS_ENDPOINT_URL_DYNAMODB")
            .map_err(StoreError::Invalid)?;
        Ok(Self::configured(
            env.region,
            env.credentials,
            env.endpoint.as_deref(),
            table,
        ))
    }

    fn configured(
        region: String,
        credentials: Credentials,
        endpoint: Option<&str>,
        table: impl Into<String>,
    ) -> Self {
        let mut config = aws_sdk_dynamodb::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(region))
            .credentials_provider(credentials)
            .http_client(aws_env::https_client());
        if let Some(url) = endpoint {
            config = config.endpoint_url(url);
        }
        let mut store = DynamoStore::new(Client::from_conf(config.build()), table);
        store.plain_http = endpoint.is_some_and(|url| url.starts_with("http://"));
        store
    }

    /// A store whose client is configured by the SDK's whole provider chain (environment,
    /// profiles, SSO, instance metadata): for commands an operator runs from a laptop.
    #[cfg(feature = "dynamodb-profiles")]
    pub async fn from_provider_chain(table: impl Into<String>) -> Self {
        let config = aws_config::defaults(BehaviorVersion::latest())
            .http_client(aws_env::https_client())
            .load()
            .await;
        DynamoStore::new(Client::new(&config), table)
    }

    /// Opens the connection to DynamoDB now, at a function's init, rather than in its first
    /// request: over TLS the handshake is the longest part of a cold start, and Lambda runs
    /// init at full speed. A read of a key that does not exist; any error is left for the
    /// first request to meet. Nothing to gain over plain HTTP (DynamoDB Local), so skipped.
    pub async fn connect_early(&self) {
        if self.plain_http {
            return;
        }
        let probe = self
            .client
            .get_item()
            .table_name(&self.table)
            .key(PK, AttributeValue::S("CONNECT#init".into()))
            .key(SK, AttributeValue::S("CONNECT#init".into()))
            .send();
        let _ = tokio::time::timeout(Duration::from_secs(2), probe).await;
    }

    /// A store on a local DynamoDB-compatible server (tests, DynamoDB Local): static
    /// credentials `test`/`test`, region `us-east-1`, the given endpoint.
    pub fn local(endpoint_url: &str, table: impl Into<String>) -> Self {
        let credentials = Credentials::new("test", "test", None, None, "static");
        Self::configured("us-east-1".into(), credentials, Some(endpoint_url), table)
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    pub fn table(&self) -> &str {
        &self.table
    }

    /// Creates the table as the SAM template declares it, unless it exists: hash key `pk`,
    /// range key `sk` (strings), on-demand billing, GSIs `gsi1`..`gsi3` keyed by
    /// `gsiNpk`/`gsiNsk` (strings) projecting every attribute, TTL on `ttl`. Returns once the
    /// table and its indexes are ACTIVE. An existing table must have the three GSIs.
    pub async fn create_table_if_missing(&self) -> StoreResult<()> {
        match self
            .client
            .describe_table()
            .table_name(&self.table)
            .send()
            .await
        {
            Ok(_) => {}
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_resource_not_found_exception()) =>
            {
                self.create_table().await?;
            }
            Err(e) => return Err(sdk_error("DescribeTable", e)),
        }
        self.wait_until_active().await?;
        self.enable_ttl().await;
        Ok(())
    }

    async fn create_table(&self) -> StoreResult<()> {
        let mut attributes = vec![string_attribute(PK)?, string_attribute(SK)?];
        let mut indexes = Vec::new();
        for index in Index::GSIS {
            let name = index
                .name()
                .ok_or_else(|| StoreError::Internal("GSI without a name".into()))?;
            attributes.push(string_attribute(index.pk_attr())?);
            attributes.push(string_attribute(index.sk_attr())?);
            indexes.push(
                GlobalSecondaryIndex::builder()
                    .index_name(name)
                    .key_schema(key_element(index.pk_attr(), KeyType::Hash)?)
                    .key_schema(key_element(index.sk_attr(), KeyType::Range)?)
                    .projection(
                        Projection::builder()
                            .projection_type(ProjectionType::All)
                            .build(),
                    )
                    .build()
                    .map_err(build_error)?,
            );
        }
        let created = self
            .client
            .create_table()
            .table_name(&self.table)
            .billing_mode(BillingMode::PayPerRequest)
            .set_attribute_definitions(Some(attributes))
            .key_schema(key_element(PK, KeyType::Hash)?)
            .key_schema(key_element(SK, KeyType::Range)?)
            .set_global_secondary_indexes(Some(indexes))
            .send()
            .await;
        match created {
            Ok(_) => {
                tracing::info!(table = %self.table, "created DynamoDB table");
                Ok(())
            }
            // Created meanwhile by someone else: fine, it is waited for next.
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_resource_in_use_exception()) =>
            {
                Ok(())
            }
            Err(e) => Err(sdk_error("CreateTable", e)),
        }
    }

    async fn wait_until_active(&self) -> StoreResult<()> {
        let started = Instant::now();
        loop {
            let out = self
                .client
                .describe_table()
                .table_name(&self.table)
                .send()
                .await
                .map_err(|e| sdk_error("DescribeTable", e))?;
            let table = out.table.ok_or_else(|| {
                StoreError::Internal(format!("DescribeTable of {} returned no table", self.table))
            })?;
            let indexes = table.global_secondary_indexes();
            for index in Index::GSIS {
                if !indexes.iter().any(|i| i.index_name() == index.name()) {
                    return Err(StoreError::Internal(format!(
                        "table {} exists without the GSI {}",
                        self.table,
                        index.name().unwrap_or_default()
                    )));
                }
            }
            let active = table.table_status() == Some(&TableStatus::Active)
                && indexes
                    .iter()
                    .all(|i| i.index_status() == Some(&IndexStatus::Active));
            if active {
                return Ok(());
            }
            if started.elapsed() > TABLE_ACTIVE_TIMEOUT {
                return Err(StoreError::Unavailable(format!(
                    "table {} not ACTIVE after {:?}",
                    self.table, TABLE_ACTIVE_TIMEOUT
                )));
            }
            match self.client.config().sleep_impl() {
                Some(sleep) => sleep.sleep(TABLE_POLL_INTERVAL).await,
                None => {
                    return Err(StoreError::Internal(
                        "the DynamoDB client has no sleep implementation".into(),
                    ));
                }
            }
        }
    }

    /// Enables TTL on `ttl` unless it is on already. An emulator without TTL support is
    /// tolerated: its error is logged and ignored, as TTL is only clean-up (expiry is checked
    /// in code).
    async fn enable_ttl(&self) {
        let current = self
            .client
            .describe_time_to_live()
            .table_name(&self.table)
            .send()
            .await;
        if let Ok(out) = &current
            && let Some(desc) = out.time_to_live_description()
            && desc.attribute_name() == Some(TTL)
            && matches!(
                desc.time_to_live_status(),
                Some(TimeToLiveStatus::Enabled | TimeToLiveStatus::Enabling)
            )
        {
            return;
        }
        let spec = match TimeToLiveSpecification::builder()
            .attribute_name(TTL)
            .enabled(true)
            .build()
        {
            Ok(spec) => spec,
            Err(e) => {
                tracing::warn!(table = %self.table, error = %e, "cannot build TTL specification");
                return;
            }
        };
        if let Err(e) = self
            .client
            .update_time_to_live()
            .table_name(&self.table)
            .time_to_live_specification(spec)
            .send()
            .await
        {
            tracing::warn!(
                table = %self.table,
                error = %DisplayErrorContext(&e),
                "could not enable TTL on `ttl`; expired items stay until deleted"
            );
        }
    }

    fn key_attributes(&self, key: &Key) -> Attributes {
        HashMap::from([
            (PK.to_string(), AttributeValue::S(key.pk.clone())),
            (SK.to_string(), AttributeValue::S(key.sk.clone())),
        ])
    }

    /// The transaction item for one operation, validated first.
    fn transact_item(&self, op: TxOp) -> StoreResult<TransactWriteItem> {
        let mut expr = Expressions::default();
        let item = match op {
            TxOp::Put { item, cond } => {
                eval::validate_item(&item)?;
                let condition = cond.as_ref().map(|c| expr.condition(c));
                let (names, values) = expr.into_parts();
                let put = Put::builder()
                    .table_name(&self.table)
                    .set_item(Some(item_to_attributes(&item)))
                    .set_condition_expression(condition)
                    .set_expression_attribute_names(names)
                    .set_expression_attribute_values(values)
                    .build()
                    .map_err(build_error)?;
                TransactWriteItem::builder().put(put).build()
            }
            TxOp::Update { key, update, cond } => {
                check_key(&key)?;
                eval::validate_update(&update)?;
                let update_expression = expr.update(&update);
                let condition = cond.as_ref().map(|c| expr.condition(c));
                let (names, values) = expr.into_parts();
                let update = aws_sdk_dynamodb::types::Update::builder()
                    .table_name(&self.table)
                    .set_key(Some(self.key_attributes(&key)))
                    .update_expression(update_expression)
                    .set_condition_expression(condition)
                    .set_expression_attribute_names(names)
                    .set_expression_attribute_values(values)
                    .build()
                    .map_err(build_error)?;
                TransactWriteItem::builder().update(update).build()
            }
            TxOp::Delete { key, cond } => {
                check_key(&key)?;
                let condition = cond.as_ref().map(|c| expr.condition(c));
                let (names, values) = expr.into_parts();
                let delete = Delete::builder()
                    .table_name(&self.table)
                    .set_key(Some(self.key_attributes(&key)))
                    .set_condition_expression(condition)
                    .set_expression_attribute_names(names)
                    .set_expression_attribute_values(values)
                    .build()
                    .map_err(build_error)?;
                TransactWriteItem::builder().delete(delete).build()
            }
            TxOp::Check { key, cond } => {
                check_key(&key)?;
                let condition = expr.condition(&cond);
                let (names, values) = expr.into_parts();
                let check = ConditionCheck::builder()
                    .table_name(&self.table)
                    .set_key(Some(self.key_attributes(&key)))
                    .condition_expression(condition)
                    .set_expression_attribute_names(names)
                    .set_expression_attribute_values(values)
                    .build()
                    .map_err(build_error)?;
                TransactWriteItem::builder().condition_check(check).build()
            }
        };
        Ok(item)
    }
}

#[async_trait]
impl Store for DynamoStore {
    async fn get(&self, key: &Key) -> StoreResult<Option<Item>> {
        check_key(key)?;
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(self.key_attributes(key)))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| sdk_error("GetItem", e))?;
        let item = out.item.map(attributes_to_item).transpose()?;
        Ok(item.filter(|i| !eval::is_expired(i, now_epoch())))
    }

    async fn get_many(&self, keys: &[Key]) -> StoreResult<Vec<Option<Item>>> {
        batch::get_many(self, keys).await
    }

    async fn put(&self, item: Item, cond: Option<Cond>) -> StoreResult<()> {
        eval::validate_item(&item)?;
        let mut expr = Expressions::default();
        let condition = cond.as_ref().map(|c| expr.condition(c));
        let (names, values) = expr.into_parts();
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item_to_attributes(&item)))
            .set_condition_expression(condition)
            .set_expression_attribute_names(names)
            .set_expression_attribute_values(values)
            .send()
            .await
            .map_err(|e| sdk_error("PutItem", e))?;
        Ok(())
    }

    async fn update(&self, key: &Key, update: Update, cond: Option<Cond>) -> StoreResult<Item> {
        check_key(key)?;
        eval::validate_update(&update)?;
        let mut expr = Expressions::default();
        let update_expression = expr.update(&update);
        let condition = cond.as_ref().map(|c| expr.condition(c));
        let (names, values) = expr.into_parts();
        let out = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(self.key_attributes(key)))
            .update_expression(update_expression)
            .set_condition_expression(condition)
            .set_expression_attribute_names(names)
            .set_expression_attribute_values(values)
            .return_values(ReturnValue::AllNew)
            .send()
            .await
            .map_err(|e| sdk_error("UpdateItem", e))?;
        match out.attributes {
            Some(attributes) => attributes_to_item(attributes),
            // DynamoDB returns the item even when the update left only its key.
            None => Ok(key.to_item()),
        }
    }

    async fn delete(&self, key: &Key, cond: Option<Cond>) -> StoreResult<Option<Item>> {
        check_key(key)?;
        let mut expr = Expressions::default();
        let condition = cond.as_ref().map(|c| expr.condition(c));
        let (names, values) = expr.into_parts();
        let out = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(self.key_attributes(key)))
            .set_condition_expression(condition)
            .set_expression_attribute_names(names)
            .set_expression_attribute_values(values)
            .return_values(ReturnValue::AllOld)
            .send()
            .await
            .map_err(|e| sdk_error("DeleteItem", e))?;
        out.attributes.map(attributes_to_item).transpose()
    }

    async fn query(&self, query: Query) -> StoreResult<Page> {
        if query.limit == 0 {
            return Err(StoreError::Invalid("query limit must be positive".into()));
        }
        let start = query
            .cursor
            .as_ref()
            .map(|c| exclusive_start_key(&query, c))
            .transpose()?;
        // DynamoDB refuses empty key values and inverted BETWEEN bounds; no stored key is empty,
        // so these conditions are answered here, as the embedded store answers them.
        if query.pk.is_empty() {
            return Ok(Page::default());
        }
        let sort_key = match query.sk.as_ref().map(normalize_sort_key) {
            None | Some(SortKeyPlan::All) => None,
            Some(SortKeyPlan::Nothing) => return Ok(Page::default()),
            Some(SortKeyPlan::Cond(sk)) => Some(sk),
        };

        let mut expr = Expressions::default();
        let mut key_condition = format!(
            "{} = {}",
            expr.name(query.index.pk_attr()),
            expr.value(AttributeValue::S(query.pk.clone()))
        );
        if let Some(sk) = &sort_key {
            key_condition.push_str(" AND ");
            key_condition.push_str(&expr.sort_key(query.index.sk_attr(), sk));
        }
        // DynamoDB refuses filters on the queried key attributes: those are evaluated here, on
        // the same items (the limit still counts items read, as the port says).
        let key_attrs = [query.index.pk_attr(), query.index.sk_attr()];
        let (filter, local_filter) = match &query.filter {
            Some(f) if mentions(f, &key_attrs) => (None, Some(f)),
            Some(f) => (Some(expr.filter(f)), None),
            None => (None, None),
        };
        let (names, values) = expr.into_parts();
        // Without a filter expression every item read comes back, so one item beyond the limit
        // tells whether another page exists (as on the embedded store). With one, the cursor is
        // DynamoDB's LastEvaluatedKey, which may lead to an empty last page.
        let peek = filter.is_none();
        let limit = if peek {
            query.limit.saturating_add(1)
        } else {
            query.limit
        };

        let out = self
            .client
            .query()
            .table_name(&self.table)
            .set_index_name(query.index.name().map(str::to_string))
            .key_condition_expression(key_condition)
            .set_filter_expression(filter)
            .set_expression_attribute_names(names)
            .set_expression_attribute_values(values)
            .limit(i32::try_from(limit).unwrap_or(i32::MAX))
            .scan_index_forward(query.forward)
            .set_exclusive_start_key(start)
            .consistent_read(query.index == Index::Table)
            .send()
            .await
            .map_err(|e| match sdk_error("Query", e) {
                StoreError::Invalid(m)
                    if query.cursor.is_some() && m.to_lowercase().contains("start") =>
                {
                    StoreError::InvalidCursor
                }
                other => other,
            })?;
        let mut items = out
            .items
            .unwrap_or_default()
            .into_iter()
            .map(attributes_to_item)
            .collect::<StoreResult<Vec<_>>>()?;
        let wanted = usize::try_from(query.limit).unwrap_or(usize::MAX);
        let next = if peek && items.len() > wanted {
            items.truncate(wanted);
            match items.last() {
                Some(last) => Some(cursor_at(last, query.index)?),
                None => None,
            }
        } else {
            out.last_evaluated_key.map(cursor_of).transpose()?
        };
        if let Some(f) = local_filter {
            items.retain(|item| eval::holds(f, Some(item)));
        }
        Ok(Page { items, next })
    }

    async fn transact(&self, ops: Vec<TxOp>) -> StoreResult<()> {
        eval::validate_transaction(&ops)?;
        let items = ops
            .into_iter()
            .map(|op| self.transact_item(op))
            .collect::<StoreResult<Vec<_>>>()?;
        // A transaction cancelled by a conflict with another one wrote nothing, so it is
        // sent again (with a fresh idempotency token) after a short random pause: counters and
        // totals are shared items, and concurrent writers meet on them.
        let mut attempt: u64 = 1;
        loop {
            let sent = self
                .client
                .transact_write_items()
                .set_transact_items(Some(items.clone()))
                .client_request_token(uuid::Uuid::new_v4().to_string())
                .send()
                .await
                .map_err(transaction_error);
            match sent {
                Err(StoreError::Conflict) if attempt < CONFLICT_ATTEMPTS => {
                    let jitter = u64::from(uuid::Uuid::new_v4().as_bytes()[0] % 20);
                    tokio::time::sleep(Duration::from_millis(10 * attempt + jitter)).await;
                    attempt += 1;
                }
                other => return other.map(|_| ()),
            }
        }
    }
}

/// How many times a transaction is sent when it keeps meeting conflicts.
const CONFLICT_ATTEMPTS: u64 = 5;

fn check_key(key: &Key) -> StoreResult<()> {
    if key.pk.is_empty() || key.sk.is_empty() {
        return Err(StoreError::Invalid("empty key".into()));
    }
    Ok(())
}

fn string_attribute(name: &str) -> StoreResult<AttributeDefinition> {
    AttributeDefinition::builder()
        .attribute_name(name)
        .attribute_type(ScalarAttributeType::S)
        .build()
        .map_err(build_error)
}

fn key_element(name: &str, key_type: KeyType) -> StoreResult<KeySchemaElement> {
    KeySchemaElement::builder()
        .attribute_name(name)
        .key_type(key_type)
        .build()
        .map_err(build_error)
}

fn build_error(e: aws_sdk_dynamodb::error::BuildError) -> StoreError {
    StoreError::Internal(format!("cannot build DynamoDB request: {e}"))
}

// ---------------------------------------------------------------------------------------------
// JSON <-> attribute values

/// The attribute value of a JSON value.
pub fn to_attribute_value(value: &Value) -> AttributeValue {
    match value {
        Value::Null => AttributeValue::Null(true),
        Value::Bool(b) => AttributeValue::Bool(*b),
        Value::Number(n) => AttributeValue::N(n.to_string()),
        Value::String(s) => AttributeValue::S(s.clone()),
        Value::Array(values) => AttributeValue::L(values.iter().map(to_attribute_value).collect()),
        Value::Object(map) => AttributeValue::M(item_to_attributes(map)),
    }
}

/// The JSON value of an attribute value. Numbers come back as integers when their text is an
/// integer, else as floats. Sets (never written by this adapter) become arrays, binary values
/// base64 strings.
pub fn from_attribute_value(value: AttributeValue) -> StoreResult<Value> {
    Ok(match value {
        AttributeValue::Null(_) => Value::Null,
        AttributeValue::Bool(b) => Value::Bool(b),
        AttributeValue::N(text) => number(&text)?,
        AttributeValue::S(s) => Value::String(s),
        AttributeValue::L(values) => Value::Array(
            values
                .into_iter()
                .map(from_attribute_value)
                .collect::<StoreResult<_>>()?,
        ),
        AttributeValue::M(map) => Value::Object(attributes_to_item(map)?),
        AttributeValue::Ss(strings) => {
            Value::Array(strings.into_iter().map(Value::String).collect())
        }
        AttributeValue::Ns(numbers) => Value::Array(
            numbers
                .iter()
                .map(|n| number(n))
                .collect::<StoreResult<_>>()?,
        ),
        AttributeValue::B(blob) => Value::String(base64_of(blob.as_ref())),
        AttributeValue::Bs(blobs) => Value::Array(
            blobs
                .iter()
                .map(|b| Value::String(base64_of(b.as_ref())))
                .collect(),
        ),
        other => {
            return Err(StoreError::Internal(format!(
                "unsupported DynamoDB attribute value {other:?}"
            )));
        }
    })
}

fn base64_of(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn number(text: &str) -> StoreResult<Value> {
    if let Ok(i) = text.parse::<i64>() {
        return Ok(Value::from(i));
    }
    if let Ok(u) = text.parse::<u64>() {
        return Ok(Value::from(u));
    }
    text.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map(Value::Number)
        .ok_or_else(|| StoreError::Internal(format!("unreadable DynamoDB number {text:?}")))
}

pub fn item_to_attributes(item: &Map<String, Value>) -> Attributes {
    item.iter()
        .map(|(k, v)| (k.clone(), to_attribute_value(v)))
        .collect()
}

pub fn attributes_to_item(attributes: Attributes) -> StoreResult<Item> {
    attributes
        .into_iter()
        .map(|(k, v)| Ok((k, from_attribute_value(v)?)))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Cursors

fn cursor_of(key: Attributes) -> StoreResult<Cursor> {
    key.into_iter()
        .map(|(name, value)| match value {
            AttributeValue::S(s) => Ok((name, s)),
            other => Err(StoreError::Internal(format!(
                "key attribute {name} is not a string: {other:?}"
            ))),
        })
        .collect::<StoreResult<BTreeMap<_, _>>>()
        .map(Cursor)
}

/// The cursor just after `item` in a query of `index`: its table key and index key, as
/// DynamoDB's LastEvaluatedKey holds them.
fn cursor_at(item: &Item, index: Index) -> StoreResult<Cursor> {
    let mut names = vec![PK, SK];
    if index != Index::Table {
        names.push(index.pk_attr());
        names.push(index.sk_attr());
    }
    names
        .into_iter()
        .map(|name| match item.get(name) {
            Some(Value::String(s)) => Ok((name.to_string(), s.clone())),
            _ => Err(StoreError::Internal(format!(
                "queried item without string key attribute {name}"
            ))),
        })
        .collect::<StoreResult<BTreeMap<_, _>>>()
        .map(Cursor)
}

/// The ExclusiveStartKey of a cursor, checked to belong to this query's partition.
fn exclusive_start_key(query: &Query, cursor: &Cursor) -> StoreResult<Attributes> {
    let get = |name: &str| match cursor.0.get(name) {
        Some(v) if !v.is_empty() => Ok(v.clone()),
        _ => Err(StoreError::InvalidCursor),
    };
    if get(query.index.pk_attr())? != query.pk {
        return Err(StoreError::InvalidCursor);
    }
    let mut names = vec![PK, SK];
    if query.index != Index::Table {
        names.push(query.index.pk_attr());
        names.push(query.index.sk_attr());
    }
    names
        .into_iter()
        .map(|name| Ok((name.to_string(), AttributeValue::S(get(name)?))))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Expressions

enum SortKeyPlan {
    /// Every item of the partition matches.
    All,
    /// No item can match.
    Nothing,
    Cond(SortKey),
}

/// Answers the sort-key conditions DynamoDB would refuse (empty operands, inverted BETWEEN):
/// key strings are never empty, so each has a fixed answer or a simpler equivalent.
fn normalize_sort_key(sk: &SortKey) -> SortKeyPlan {
    match sk {
        SortKey::Eq(v) | SortKey::Lt(v) | SortKey::Le(v) if v.is_empty() => SortKeyPlan::Nothing,
        SortKey::Gt(v) | SortKey::Ge(v) | SortKey::BeginsWith(v) if v.is_empty() => {
            SortKeyPlan::All
        }
        SortKey::Between(a, b) if a.as_bytes() > b.as_bytes() || b.is_empty() => {
            SortKeyPlan::Nothing
        }
        SortKey::Between(a, b) if a.is_empty() => SortKeyPlan::Cond(SortKey::Le(b.clone())),
        other => SortKeyPlan::Cond(other.clone()),
    }
}

/// Whether `cond` names one of `attrs`.
fn mentions(cond: &Cond, attrs: &[&str]) -> bool {
    match cond {
        Cond::Exists | Cond::NotExists => false,
        Cond::AttrExists(a)
        | Cond::AttrNotExists(a)
        | Cond::Eq(a, _)
        | Cond::Ne(a, _)
        | Cond::Lt(a, _)
        | Cond::Le(a, _)
        | Cond::Gt(a, _)
        | Cond::Ge(a, _)
        | Cond::BeginsWith(a, _) => attrs.contains(&a.as_str()),
        Cond::And(all) | Cond::Or(all) => all.iter().any(|c| mentions(c, attrs)),
        Cond::Not(inner) => mentions(inner, attrs),
    }
}

/// The attribute the constant conditions test (`attribute_exists(x) OR attribute_not_exists(x)`
/// holds whatever `x` is); not a key, so that filters may use it too.
const CONSTANT_ATTR: &str = "_";

/// Placeholders of the expressions of one request: each attribute name gets one `#nN`, each
/// value its own `:vN`, so exactly the names and values in use are sent.
#[derive(Default)]
struct Expressions {
    names: HashMap<String, String>,
    by_attr: HashMap<String, String>,
    values: HashMap<String, AttributeValue>,
    /// Building a query filter: every item it sees exists.
    in_filter: bool,
}

impl Expressions {
    fn name(&mut self, attr: &str) -> String {
        if let Some(placeholder) = self.by_attr.get(attr) {
            return placeholder.clone();
        }
        let placeholder = format!("#n{}", self.by_attr.len());
        self.by_attr.insert(attr.to_string(), placeholder.clone());
        self.names.insert(placeholder.clone(), attr.to_string());
        placeholder
    }

    fn value(&mut self, value: AttributeValue) -> String {
        let placeholder = format!(":v{}", self.values.len());
        self.values.insert(placeholder.clone(), value);
        placeholder
    }

    fn json(&mut self, value: &Value) -> String {
        self.value(to_attribute_value(value))
    }

    /// A query's FilterExpression: as every item read exists, `Exists` is always true there.
    fn filter(&mut self, cond: &Cond) -> String {
        self.in_filter = true;
        let text = self.condition(cond);
        self.in_filter = false;
        text
    }

    /// The expression of `cond`. Each operand of AND, OR and NOT gets exactly one pair of
    /// parentheses and nothing else does: DynamoDB refuses redundant parentheses.
    fn condition(&mut self, cond: &Cond) -> String {
        match cond {
            Cond::Exists | Cond::NotExists if self.in_filter => {
                self.always(matches!(cond, Cond::Exists))
            }
            Cond::Exists => format!("attribute_exists({})", self.name(PK)),
            Cond::NotExists => format!("attribute_not_exists({})", self.name(PK)),
            Cond::AttrExists(a) => format!("attribute_exists({})", self.name(a)),
            Cond::AttrNotExists(a) => format!("attribute_not_exists({})", self.name(a)),
            Cond::Eq(a, v) => self.compare(a, "=", v),
            Cond::Ne(a, v) => self.compare(a, "<>", v),
            Cond::Lt(a, v) => self.order(a, "<", v),
            Cond::Le(a, v) => self.order(a, "<=", v),
            Cond::Gt(a, v) => self.order(a, ">", v),
            Cond::Ge(a, v) => self.order(a, ">=", v),
            Cond::BeginsWith(a, prefix) => format!(
                "begins_with({}, {})",
                self.name(a),
                self.value(AttributeValue::S(prefix.clone()))
            ),
            // DynamoDB has no literals: an empty AND is always true, an empty OR always false.
            Cond::And(all) if all.is_empty() => self.always(true),
            Cond::Or(any) if any.is_empty() => self.always(false),
            // One operand: no parentheses of its own, or its parent would double them.
            Cond::And(one) | Cond::Or(one) if one.len() == 1 => self.condition(&one[0]),
            Cond::And(all) => self.join(all, " AND "),
            Cond::Or(any) => self.join(any, " OR "),
            Cond::Not(inner) => format!("NOT ({})", self.condition(inner)),
        }
    }

    fn compare(&mut self, attr: &str, op: &str, value: &Value) -> String {
        format!("{} {op} {}", self.name(attr), self.json(value))
    }

    /// An ordering comparison. As in `eval`, only numbers and strings are ordered, and a
    /// comparison with anything else is false (DynamoDB would refuse the whole expression).
    fn order(&mut self, attr: &str, op: &str, value: &Value) -> String {
        match value {
            Value::Number(_) | Value::String(_) => self.compare(attr, op, value),
            _ => self.always(false),
        }
    }

    fn always(&mut self, holds: bool) -> String {
        let x = self.name(CONSTANT_ATTR);
        let op = if holds { "OR" } else { "AND" };
        format!("attribute_exists({x}) {op} attribute_not_exists({x})")
    }

    fn join(&mut self, conds: &[Cond], op: &str) -> String {
        let parts: Vec<String> = conds
            .iter()
            .map(|c| format!("({})", self.condition(c)))
            .collect();
        parts.join(op)
    }

    /// `SET #a = :v, #b = if_not_exists(#b, :w) ADD #c :x REMOVE #d`
    fn update(&mut self, update: &Update) -> String {
        let mut set = Vec::new();
        for (attr, value) in &update.set {
            set.push(format!("{} = {}", self.name(attr), self.json(value)));
        }
        for (attr, value) in &update.set_if_absent {
            let name = self.name(attr);
            set.push(format!(
                "{name} = if_not_exists({name}, {})",
                self.json(value)
            ));
        }
        let add: Vec<String> = update
            .add
            .iter()
            .map(|(attr, by)| {
                let name = self.name(attr);
                format!("{name} {}", self.value(AttributeValue::N(by.to_string())))
            })
            .collect();
        let remove: Vec<String> = update.remove.iter().map(|a| self.name(a)).collect();
        let mut clauses = Vec::new();
        for (keyword, parts) in [("SET", set), ("ADD", add), ("REMOVE", remove)] {
            if !parts.is_empty() {
                clauses.push(format!("{keyword} {}", parts.join(", ")));
            }
        }
        clauses.join(" ")
    }

    fn sort_key(&mut self, attr: &str, sk: &SortKey) -> String {
        let name = self.name(attr);
        let mut value = |v: &str| self.value(AttributeValue::S(v.to_string()));
        match sk {
            SortKey::Eq(v) => format!("{name} = {}", value(v)),
            SortKey::Lt(v) => format!("{name} < {}", value(v)),
            SortKey::Le(v) => format!("{name} <= {}", value(v)),
            SortKey::Gt(v) => format!("{name} > {}", value(v)),
            SortKey::Ge(v) => format!("{name} >= {}", value(v)),
            SortKey::BeginsWith(v) => format!("begins_with({name}, {})", value(v)),
            SortKey::Between(a, b) => {
                let (a, b) = (value(a), value(b));
                format!("{name} BETWEEN {a} AND {b}")
            }
        }
    }

    fn into_parts(self) -> (Option<HashMap<String, String>>, Option<Attributes>) {
        let names = (!self.names.is_empty()).then_some(self.names);
        let values = (!self.values.is_empty()).then_some(self.values);
        (names, values)
    }
}

// ---------------------------------------------------------------------------------------------
// Errors

const THROTTLING_CODES: [&str; 5] = [
    "ProvisionedThroughputExceededException",
    "RequestLimitExceeded",
    "ThrottlingException",
    "InternalServerError",
    "ServiceUnavailable",
];

fn sdk_error<E>(operation: &str, err: SdkError<E>) -> StoreError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let describe = |err: &SdkError<E>| format!("{operation}: {}", DisplayErrorContext(err));
    match &err {
        SdkError::ServiceError(ctx) => {
            let code = ctx.err().code().unwrap_or_default();
            match code {
                "ConditionalCheckFailedException" => StoreError::ConditionFailed {
                    op: None,
                    label: None,
                },
                "TransactionConflictException" => StoreError::Conflict,
                "ValidationException" => StoreError::Invalid(format!(
                    "{operation}: {}",
                    ctx.err().message().unwrap_or(code)
                )),
                _ if THROTTLING_CODES.contains(&code) || ctx.raw().status().is_server_error() => {
                    StoreError::Unavailable(describe(&err))
                }
                _ => StoreError::Internal(describe(&err)),
            }
        }
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) | SdkError::ResponseError(_) => {
            StoreError::Unavailable(describe(&err))
        }
        _ => StoreError::Internal(describe(&err)),
    }
}

fn transaction_error(err: SdkError<TransactWriteItemsError>) -> StoreError {
    let Some(TransactWriteItemsError::TransactionCanceledException(cancelled)) =
        err.as_service_error()
    else {
        return sdk_error("TransactWriteItems", err);
    };
    let reasons = cancelled.cancellation_reasons();
    let has = |code: &str| reasons.iter().position(|r| r.code() == Some(code));
    if let Some(op) = has("ConditionalCheckFailed") {
        return StoreError::ConditionFailed {
            op: Some(op),
            label: None,
        };
    }
    if has("TransactionConflict").is_some() {
        return StoreError::Conflict;
    }
    if let Some(op) = has("ValidationError") {
        let message = reasons[op].message().unwrap_or("validation error");
        return StoreError::Invalid(format!("TransactWriteItems operation {op}: {message}"));
    }
    let throttled = reasons.iter().any(|r| {
        matches!(
            r.code(),
            Some("ProvisionedThroughputExceeded" | "ThrottlingError" | "RequestLimitExceeded")
        )
    });
    let described = format!("TransactWriteItems: {}", DisplayErrorContext(&err));
    if throttled {
        StoreError::Unavailable(described)
    } else {
        StoreError::Internal(described)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_roundtrips_through_attribute_values() {
        let value = json!({
            "s": "text", "empty": "", "i": -42, "big": u64::MAX, "f": 1.5, "t": true,
            "n": null, "l": [1, "a", [false]], "m": {"nested": {"x": 0}}, "em": {}, "el": []
        });
        let back = from_attribute_value(to_attribute_value(&value)).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn expressions_use_placeholders_only() {
        let mut expr = Expressions::default();
        let update = Update::new()
            .set("ttl", 5)
            .set_if_absent("created", "now")
            .add("count", 1)
            .remove("old");
        let text = expr.update(&update);
        assert_eq!(
            text,
            "SET #n0 = :v0, #n1 = if_not_exists(#n1, :v1) ADD #n2 :v2 REMOVE #n3"
        );
        let cond = expr.condition(&Cond::Exists.and(Cond::eq("ttl", 3)));
        assert_eq!(cond, "(attribute_exists(#n4)) AND (#n0 = :v3)");
        let (names, values) = expr.into_parts();
        assert_eq!(names.unwrap().len(), 5);
        assert_eq!(values.unwrap().len(), 4);
    }

    #[test]
    fn a_request_without_values_sends_none() {
        let mut expr = Expressions::default();
        expr.condition(&Cond::NotExists);
        let (names, values) = expr.into_parts();
        assert!(names.is_some());
        assert!(values.is_none());
    }
}
