#![cfg(feature = "dynamodb")]
#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Direct tests of the DynamoDB adapter against DynamoDB Local, at the URL in
//! `TEST_DYNAMODB_ENDPOINT` (`infra/scripts/dynamodb-local.sh start` prints it). Each test
//! creates its own table.

use aws_sdk_dynamodb::types::{AttributeValue, TimeToLiveStatus};
use serde_json::{Value, json};
use store::dynamodb::DynamoStore;
use store::{Cond, Index, Item, Key, Query, Store, StoreError, TxOp, Update};

fn endpoint() -> String {
    std::env::var("TEST_DYNAMODB_ENDPOINT").unwrap_or_else(|_| {
        panic!(
            "TEST_DYNAMODB_ENDPOINT is not set: run `infra/scripts/dynamodb-local.sh start` and \
             export the URL it prints as TEST_DYNAMODB_ENDPOINT (scripts/test.sh does both)"
        )
    })
}

async fn fresh_store() -> DynamoStore {
    let store = DynamoStore::local(&endpoint(), format!("smoke-{}", uuid::Uuid::new_v4()));
    store.create_table_if_missing().await.unwrap();
    store
}

fn item(pk: &str, sk: &str, extra: Value) -> Item {
    let mut item = Key::new(pk, sk).to_item();
    if let Value::Object(map) = extra {
        item.extend(map);
    }
    item
}

#[tokio::test]
async fn table_is_created_once_with_ttl() {
    let store = fresh_store().await;
    // A second call finds the table and leaves it as it is.
    store.create_table_if_missing().await.unwrap();
    let table = store
        .client()
        .describe_table()
        .table_name(store.table())
        .send()
        .await
        .unwrap()
        .table
        .unwrap();
    let mut indexes: Vec<_> = table
        .global_secondary_indexes()
        .iter()
        .filter_map(|i| i.index_name())
        .collect();
    indexes.sort();
    assert_eq!(indexes, ["gsi1", "gsi2", "gsi3"]);
    let ttl = store
        .client()
        .describe_time_to_live()
        .table_name(store.table())
        .send()
        .await
        .unwrap();
    let desc = ttl.time_to_live_description().unwrap();
    assert_eq!(desc.attribute_name(), Some("ttl"));
    assert_eq!(desc.time_to_live_status(), Some(&TimeToLiveStatus::Enabled));
}

#[tokio::test]
async fn json_roundtrips_with_dynamodb_types() {
    let store = fresh_store().await;
    let original = item(
        "P",
        "S",
        json!({
            "s": "héllo ✓", "empty": "", "i": 42, "neg": -7, "big": u64::MAX, "f": 1.5,
            "t": true, "n": null, "l": [1, "two", {"three": 3}, []], "m": {"a": {"b": [true]}},
            "em": {}, "ttl": 4_102_444_800_i64
        }),
    );
    store.put(original.clone(), None).await.unwrap();
    assert_eq!(
        store.get(&Key::new("P", "S")).await.unwrap(),
        Some(original)
    );

    // Stored with DynamoDB's own types, so other tools (and TTL) read them right.
    let raw = store
        .client()
        .get_item()
        .table_name(store.table())
        .key("pk", AttributeValue::S("P".into()))
        .key("sk", AttributeValue::S("S".into()))
        .send()
        .await
        .unwrap()
        .item
        .unwrap();
    assert_eq!(raw["i"], AttributeValue::N("42".into()));
    assert_eq!(raw["ttl"], AttributeValue::N("4102444800".into()));
    assert_eq!(raw["t"], AttributeValue::Bool(true));
    assert_eq!(raw["n"], AttributeValue::Null(true));
    assert!(matches!(raw["l"], AttributeValue::L(_)));
    assert!(matches!(raw["m"], AttributeValue::M(_)));
    assert_eq!(raw["s"], AttributeValue::S("héllo ✓".into()));
}

#[tokio::test]
async fn failed_conditions_change_nothing() {
    let store = fresh_store().await;
    let key = Key::new("P", "S");
    let first = item("P", "S", json!({"status": "new", "ttl": 4_102_444_800_i64}));
    store
        .put(first.clone(), Some(Cond::NotExists))
        .await
        .unwrap();
    let err = store
        .put(item("P", "S", json!({})), Some(Cond::NotExists))
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::ConditionFailed { op: None, .. }),
        "{err:?}"
    );
    // `ttl` is a reserved word: usable in conditions and updates through placeholders.
    let err = store
        .update(
            &key,
            Update::new().set("status", "done").add("ttl", 1),
            Some(Cond::lt("ttl", 10)),
        )
        .await
        .unwrap_err();
    assert!(err.is_condition_failed(), "{err:?}");
    let err = store
        .delete(&key, Some(Cond::eq("status", "done")))
        .await
        .unwrap_err();
    assert!(err.is_condition_failed(), "{err:?}");
    assert_eq!(store.get(&key).await.unwrap(), Some(first));

    let after = store
        .update(
            &key,
            Update::new()
                .set("status", "done")
                .set_if_absent("created", "now")
                .add("ttl", 1)
                .remove("missing"),
            Some(Cond::eq("status", "new").and(Cond::gt("ttl", 10))),
        )
        .await
        .unwrap();
    assert_eq!(
        after,
        item(
            "P",
            "S",
            json!({"status": "done", "created": "now", "ttl": 4_102_444_801_i64})
        )
    );
}

/// Nested conditions, in conditional checks and in query filters, hold on DynamoDB exactly
/// when `eval::holds` says they do (and none is refused as malformed).
#[tokio::test]
async fn nested_conditions_agree_with_eval() {
    let store = fresh_store().await;
    let stored = item(
        "C",
        "S",
        json!({"n": 10, "s": "b", "m": {"a": 1}, "l": [1], "z": null, "t": true}),
    );
    store.put(stored.clone(), None).await.unwrap();
    let atoms = vec![
        Cond::eq("n", 10),
        Cond::lt("n", 5),
        Cond::ge("s", "a"),
        Cond::BeginsWith("s".into(), "x".into()),
        Cond::attr_exists("m"),
        Cond::attr_not_exists("zz"),
        Cond::ne("missing", 1),
        Cond::lt("t", true),
        Cond::eq("l", json!([1])),
        Cond::Exists,
        Cond::NotExists,
        Cond::eq("z", Value::Null),
    ];
    let combine = |conds: &[Cond]| -> Vec<Cond> {
        let n = conds.len();
        let mut out = Vec::new();
        for i in 0..n {
            let (a, b, c) = (&conds[i], &conds[(i + 1) % n], &conds[(i + 3) % n]);
            out.push(Cond::Not(Box::new(a.clone())));
            out.push(Cond::And(vec![a.clone()]));
            out.push(Cond::And(vec![a.clone(), b.clone()]));
            out.push(Cond::Or(vec![a.clone(), Cond::Not(Box::new(c.clone()))]));
            out.push(Cond::Or(vec![
                Cond::And(vec![a.clone(), b.clone()]),
                c.clone(),
            ]));
        }
        out
    };
    let level1 = combine(&atoms);
    let level2: Vec<Cond> = combine(&level1).into_iter().step_by(7).collect();
    let mut all = atoms.clone();
    all.extend(level1);
    all.extend(level2);
    all.extend([
        Cond::And(vec![]),
        Cond::Or(vec![]),
        Cond::Not(Box::new(Cond::Or(vec![]))),
        Cond::And(vec![Cond::And(vec![Cond::Or(vec![Cond::Exists])])]),
    ]);
    for cond in all {
        let expected = store::eval::holds(&cond, Some(&stored));
        let checked = store
            .transact(vec![TxOp::Check {
                key: Key::new("C", "S"),
                cond: cond.clone(),
            }])
            .await;
        match checked {
            Ok(()) => assert!(expected, "held on DynamoDB only: {cond:?}"),
            Err(StoreError::ConditionFailed { op: Some(0), .. }) => {
                assert!(!expected, "failed on DynamoDB only: {cond:?}")
            }
            Err(e) => panic!("{cond:?}: {e:?}"),
        }
        let page = store
            .query(Query::partition(Index::Table, "C").filter(cond.clone()))
            .await
            .unwrap_or_else(|e| panic!("{cond:?}: {e:?}"));
        assert_eq!(page.items.len(), usize::from(expected), "filter {cond:?}");
    }
}

/// DynamoDB refuses filters on the queried key; the adapter applies those itself.
#[tokio::test]
async fn filters_on_key_attributes_work() {
    let store = fresh_store().await;
    for sk in ["a1", "b1", "a2", "b2"] {
        store
            .put(
                item("K", sk, json!({"gsi1pk": "g", "gsi1sk": format!("x{sk}")})),
                None,
            )
            .await
            .unwrap();
    }
    let sks = |page: store::Page| -> Vec<String> {
        page.items
            .iter()
            .map(|i| i["sk"].as_str().unwrap().to_string())
            .collect()
    };
    let page = store
        .query(
            Query::partition(Index::Table, "K")
                .filter(Cond::BeginsWith("sk".into(), "b".into()).and(Cond::Exists))
                .limit(3),
        )
        .await
        .unwrap();
    assert_eq!(sks(page.clone()), ["b1"], "the limit counts items read");
    let rest = store
        .query(
            Query::partition(Index::Table, "K")
                .filter(Cond::BeginsWith("sk".into(), "b".into()))
                .after(page.next),
        )
        .await
        .unwrap();
    assert_eq!(sks(rest), ["b2"]);
    let page = store
        .query(Query::partition(Index::Gsi1, "g").filter(Cond::Or(vec![
            Cond::eq("gsi1sk", "xa2"),
            Cond::eq("pk", "none"),
        ])))
        .await
        .unwrap();
    assert_eq!(sks(page), ["a2"]);
}

/// A query without a filter expression gives a cursor only when more items follow.
#[tokio::test]
async fn last_full_page_has_no_cursor() {
    let store = fresh_store().await;
    for i in 0..6 {
        store
            .put(
                item(
                    "Q",
                    &format!("{i}"),
                    json!({"gsi2pk": "q", "gsi2sk": "same"}),
                ),
                None,
            )
            .await
            .unwrap();
    }
    for index in [Index::Table, Index::Gsi2] {
        let pk = if index == Index::Table { "Q" } else { "q" };
        let first = store
            .query(Query::partition(index, pk).limit(3))
            .await
            .unwrap();
        assert_eq!(first.items.len(), 3);
        let second = store
            .query(Query::partition(index, pk).limit(3).after(first.next))
            .await
            .unwrap();
        assert_eq!(second.items.len(), 3);
        assert_eq!(second.next, None, "{index:?}");
        let all = store
            .query(Query::partition(index, pk).limit(6))
            .await
            .unwrap();
        assert_eq!((all.items.len(), all.next), (6, None), "{index:?}");
    }
}

#[tokio::test]
async fn unreachable_store_is_unavailable() {
    // Port 9 (discard) on 127.0.0.1: nothing listens there.
    let store = DynamoStore::local("http://127.0.0.1:9", "absent");
    let err = store.get(&Key::new("a", "b")).await.unwrap_err();
    assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");
}
