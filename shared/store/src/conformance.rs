//! The conformance suite: the same tests, run against every adapter, pin the semantics that
//! product code relies on.
//!
//! Instantiate it in an integration test with an async expression that yields a fresh, empty
//! [`DynStore`](crate::DynStore) for each test:
//!
//! ```ignore
//! store::conformance_suite!(async { Arc::new(EmbeddedStore::in_memory().unwrap()) as DynStore });
//! ```

// This module is test code that ships in the library so every adapter crate can run it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::{Cond, Cursor, DynStore, Index, Item, Key, Query, SortKey, StoreError, TxOp, Update};
use serde_json::{Value, json};

#[macro_export]
macro_rules! conformance_suite {
    ($factory:expr) => {
        $crate::conformance_suite!(@tests $factory;
            roundtrip_keeps_every_type,
            missing_item_is_none,
            put_if_absent_refuses_second_write,
            failed_update_condition_changes_nothing,
            update_sets_adds_and_removes,
            update_creates_missing_item,
            not_equal_holds_when_attribute_absent,
            comparisons_follow_types,
            delete_returns_old_item_and_checks_condition,
            transaction_applies_everything,
            failing_transaction_writes_nothing,
            failed_condition_is_named,
            transaction_refuses_same_item_twice,
            transaction_refuses_too_many_items,
            concurrent_conditional_increments_lose_nothing,
            concurrent_adds_lose_nothing,
            cursor_pages_through_thousand_items,
            cursor_pages_backward,
            sort_key_conditions_select_ranges,
            gsi_query_returns_matching_items_in_order,
            gsi_cursor_handles_equal_sort_keys,
            filter_applies_after_limit,
            expired_item_is_absent,
            get_many_answers_each_key_in_order,
            get_many_reads_more_keys_than_one_request_takes,
            oversized_item_is_refused,
            malformed_index_key_is_refused,
            invalid_updates_are_refused,
            cursor_of_another_partition_is_refused,
            add_to_string_is_refused,
        );
    };
    (@tests $factory:expr; $($name:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let store: $crate::DynStore = $factory.await;
                $crate::conformance::$name(store).await;
            }
        )*
    };
}

fn item(pk: &str, sk: &str, extra: Value) -> Item {
    let mut item = Key::new(pk, sk).to_item();
    if let Value::Object(map) = extra {
        item.extend(map);
    }
    item
}

async fn get(store: &DynStore, pk: &str, sk: &str) -> Option<Item> {
    store.get(&Key::new(pk, sk)).await.unwrap()
}

pub async fn roundtrip_keeps_every_type(store: DynStore) {
    let original = item(
        "P",
        "S",
        json!({"s": "héllo ✓", "i": 42, "neg": -7, "f": 1.5, "t": true, "n": null,
               "l": [1, "two", {"three": 3}], "m": {"a": {"b": [true]}}, "empty": ""}),
    );
    store.put(original.clone(), None).await.unwrap();
    assert_eq!(get(&store, "P", "S").await, Some(original));
}

pub async fn missing_item_is_none(store: DynStore) {
    assert_eq!(get(&store, "P", "nothing").await, None);
}

pub async fn put_if_absent_refuses_second_write(store: DynStore) {
    let first = item("P", "S", json!({"v": 1}));
    store
        .put(first.clone(), Some(Cond::NotExists))
        .await
        .unwrap();
    let err = store
        .put(item("P", "S", json!({"v": 2})), Some(Cond::NotExists))
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::ConditionFailed { op: None, .. }),
        "{err:?}"
    );
    assert_eq!(get(&store, "P", "S").await, Some(first));
}

pub async fn failed_update_condition_changes_nothing(store: DynStore) {
    let original = item("P", "S", json!({"status": "pending", "n": 1}));
    store.put(original.clone(), None).await.unwrap();
    let err = store
        .update(
            &Key::new("P", "S"),
            Update::new().set("status", "done").add("n", 1),
            Some(Cond::eq("status", "processing")),
        )
        .await
        .unwrap_err();
    assert!(err.is_condition_failed(), "{err:?}");
    assert_eq!(get(&store, "P", "S").await, Some(original));
    // On a missing item, a condition that requires it fails and creates nothing.
    let err = store
        .update(
            &Key::new("P", "missing"),
            Update::new().set("a", 1),
            Some(Cond::Exists),
        )
        .await
        .unwrap_err();
    assert!(err.is_condition_failed(), "{err:?}");
    assert_eq!(get(&store, "P", "missing").await, None);
}

pub async fn update_sets_adds_and_removes(store: DynStore) {
    store
        .put(
            item(
                "P",
                "S",
                json!({"keep": 1, "gone": "x", "n": 5, "first": "a"}),
            ),
            None,
        )
        .await
        .unwrap();
    let after = store
        .update(
            &Key::new("P", "S"),
            Update::new()
                .set("name", "new")
                .set_if_absent("first", "b")
                .set_if_absent("second", "c")
                .add("n", 3)
                .add("fresh", -2)
                .remove("gone"),
            Some(Cond::Exists),
        )
        .await
        .unwrap();
    let expected = item(
        "P",
        "S",
        json!({"keep": 1, "n": 8, "first": "a", "second": "c", "name": "new", "fresh": -2}),
    );
    assert_eq!(after, expected);
    assert_eq!(get(&store, "P", "S").await, Some(expected));
}

pub async fn update_creates_missing_item(store: DynStore) {
    let created = store
        .update(
            &Key::new("C", "counter"),
            Update::new().add("value", 1),
            None,
        )
        .await
        .unwrap();
    assert_eq!(created, item("C", "counter", json!({"value": 1})));
}

pub async fn not_equal_holds_when_attribute_absent(store: DynStore) {
    store
        .put(item("P", "S", json!({"a": 1})), None)
        .await
        .unwrap();
    store
        .update(
            &Key::new("P", "S"),
            Update::new().set("b", 1),
            Some(Cond::ne("missing", 1)),
        )
        .await
        .unwrap();
    let err = store
        .update(
            &Key::new("P", "S"),
            Update::new().set("b", 2),
            Some(Cond::ne("a", 1)),
        )
        .await
        .unwrap_err();
    assert!(err.is_condition_failed());
    assert_eq!(get(&store, "P", "S").await.unwrap()["b"], json!(1));
}

pub async fn comparisons_follow_types(store: DynStore) {
    store
        .put(
            item("P", "S", json!({"n": 10, "s": "b", "price": 2.5})),
            None,
        )
        .await
        .unwrap();
    let key = Key::new("P", "S");
    let holds = |cond: Cond| {
        let store = store.clone();
        let key = key.clone();
        async move {
            match store
                .update(&key, Update::new().set("touched", true), Some(cond))
                .await
            {
                Ok(_) => true,
                Err(e) if e.is_condition_failed() => false,
                Err(e) => panic!("{e:?}"),
            }
        }
    };
    assert!(holds(Cond::lt("n", 11)).await);
    assert!(!holds(Cond::lt("n", 10)).await);
    assert!(holds(Cond::le("n", 10)).await);
    assert!(holds(Cond::gt("s", "a")).await);
    assert!(holds(Cond::ge("price", 2.5)).await);
    // A number never compares with a string.
    assert!(!holds(Cond::gt("n", "1")).await);
    assert!(holds(Cond::BeginsWith("s".into(), "b".into())).await);
    assert!(holds(Cond::Or(vec![Cond::eq("n", 1), Cond::eq("n", 10)])).await);
    assert!(!holds(Cond::Not(Box::new(Cond::attr_exists("n")))).await);
    assert!(holds(Cond::attr_not_exists("zzz").and(Cond::eq("s", "b"))).await);
}

pub async fn delete_returns_old_item_and_checks_condition(store: DynStore) {
    let original = item("P", "S", json!({"status": "active"}));
    store.put(original.clone(), None).await.unwrap();
    let err = store
        .delete(&Key::new("P", "S"), Some(Cond::eq("status", "deleted")))
        .await
        .unwrap_err();
    assert!(err.is_condition_failed());
    let old = store
        .delete(&Key::new("P", "S"), Some(Cond::eq("status", "active")))
        .await
        .unwrap();
    assert_eq!(old, Some(original));
    assert_eq!(get(&store, "P", "S").await, None);
    assert_eq!(store.delete(&Key::new("P", "S"), None).await.unwrap(), None);
}

pub async fn transaction_applies_everything(store: DynStore) {
    store
        .put(item("T", "b", json!({"n": 1})), None)
        .await
        .unwrap();
    store.put(item("T", "c", json!({})), None).await.unwrap();
    store.put(item("T", "d", json!({})), None).await.unwrap();
    store
        .transact(vec![
            TxOp::Put {
                item: item("T", "a", json!({"new": true})),
                cond: Some(Cond::NotExists),
            },
            TxOp::Update {
                key: Key::new("T", "b"),
                update: Update::new().add("n", 1),
                cond: Some(Cond::Exists),
            },
            TxOp::Delete {
                key: Key::new("T", "c"),
                cond: None,
            },
            TxOp::Check {
                key: Key::new("T", "d"),
                cond: Cond::Exists,
            },
        ])
        .await
        .unwrap();
    assert_eq!(
        get(&store, "T", "a").await,
        Some(item("T", "a", json!({"new": true})))
    );
    assert_eq!(
        get(&store, "T", "b").await,
        Some(item("T", "b", json!({"n": 2})))
    );
    assert_eq!(get(&store, "T", "c").await, None);
}

pub async fn failed_condition_is_named(store: DynStore) {
    store
        .put(item("N", "guard", json!({})), None)
        .await
        .unwrap();
    let err = store
        .transact_named(vec![
            (
                "order",
                TxOp::Put {
                    item: item("N", "order", json!({})),
                    cond: Some(Cond::NotExists),
                },
            ),
            (
                "phone_guard",
                TxOp::Put {
                    item: item("N", "guard", json!({"x": 1})),
                    cond: Some(Cond::NotExists),
                },
            ),
        ])
        .await
        .unwrap_err();
    assert!(err.failed("phone_guard"), "{err:?}");
    assert!(!err.failed("order"), "{err:?}");
    assert!(err.to_string().contains("phone_guard"), "{err}");
    assert_eq!(get(&store, "N", "order").await, None);
}

pub async fn failing_transaction_writes_nothing(store: DynStore) {
    store
        .put(item("T", "b", json!({"n": 1})), None)
        .await
        .unwrap();
    store
        .put(item("T", "guard", json!({})), None)
        .await
        .unwrap();
    let err = store
        .transact(vec![
            TxOp::Put {
                item: item("T", "a", json!({})),
                cond: Some(Cond::NotExists),
            },
            TxOp::Update {
                key: Key::new("T", "b"),
                update: Update::new().add("n", 1),
                cond: None,
            },
            TxOp::Put {
                item: item("T", "guard", json!({"x": 1})),
                cond: Some(Cond::NotExists),
            },
        ])
        .await
        .unwrap_err();
    assert_eq!(err.failed_op(), Some(2), "{err:?}");
    assert_eq!(get(&store, "T", "a").await, None);
    assert_eq!(
        get(&store, "T", "b").await,
        Some(item("T", "b", json!({"n": 1})))
    );
    assert_eq!(
        get(&store, "T", "guard").await,
        Some(item("T", "guard", json!({})))
    );
}

pub async fn transaction_refuses_same_item_twice(store: DynStore) {
    let err = store
        .transact(vec![
            TxOp::Put {
                item: item("T", "a", json!({})),
                cond: None,
            },
            TxOp::Update {
                key: Key::new("T", "a"),
                update: Update::new().add("n", 1),
                cond: None,
            },
        ])
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    assert_eq!(get(&store, "T", "a").await, None);
}

pub async fn transaction_refuses_too_many_items(store: DynStore) {
    let ops = (0..=crate::MAX_TRANSACTION_ITEMS)
        .map(|i| TxOp::Put {
            item: item("T", &format!("{i:04}"), json!({})),
            cond: None,
        })
        .collect();
    let err = store.transact(ops).await.unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    assert_eq!(get(&store, "T", "0000").await, None);
}

/// Read-modify-write with a version condition, retried on conflict: the pattern product code
/// uses for state changes. Two writers must never lose an increment.
pub async fn concurrent_conditional_increments_lose_nothing(store: DynStore) {
    const PER_WRITER: i64 = 25;
    store
        .put(item("C", "v", json!({"version": 0})), None)
        .await
        .unwrap();
    let writer = |store: DynStore| async move {
        let key = Key::new("C", "v");
        let mut done = 0;
        while done < PER_WRITER {
            let current = store.get(&key).await.unwrap().unwrap();
            let version = current["version"].as_i64().unwrap();
            match store
                .update(
                    &key,
                    Update::new().set("version", version + 1),
                    Some(Cond::eq("version", version)),
                )
                .await
            {
                Ok(_) => done += 1,
                Err(e) if e.is_condition_failed() => {}
                Err(e) => panic!("{e:?}"),
            }
        }
    };
    let a = tokio::spawn(writer(store.clone()));
    let b = tokio::spawn(writer(store.clone()));
    a.await.unwrap();
    b.await.unwrap();
    assert_eq!(
        get(&store, "C", "v").await.unwrap()["version"],
        json!(2 * PER_WRITER)
    );
}

pub async fn concurrent_adds_lose_nothing(store: DynStore) {
    let writer = |store: DynStore| async move {
        for _ in 0..30 {
            store
                .update(&Key::new("C", "n"), Update::new().add("value", 1), None)
                .await
                .unwrap();
        }
    };
    let tasks: Vec<_> = (0..3)
        .map(|_| tokio::spawn(writer(store.clone())))
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(get(&store, "C", "n").await.unwrap()["value"], json!(90));
}

async fn fill(store: &DynStore, pk: &str, count: usize) -> Vec<String> {
    let sks: Vec<String> = (0..count).map(|i| format!("item#{i:05}")).collect();
    for chunk in sks.chunks(crate::MAX_TRANSACTION_ITEMS) {
        let ops = chunk
            .iter()
            .map(|sk| TxOp::Put {
                item: item(pk, sk, json!({"n": 1})),
                cond: None,
            })
            .collect();
        store.transact(ops).await.unwrap();
    }
    sks
}

async fn collect_sks(store: &DynStore, query: Query) -> (Vec<String>, usize) {
    let mut sks = Vec::new();
    let mut cursor: Option<Cursor> = None;
    let mut pages = 0;
    loop {
        // The cursor travels to the client and back in its encoded form.
        let encoded = cursor.as_ref().map(Cursor::encode);
        let decoded = encoded.map(|c| Cursor::decode(&c).unwrap());
        let page = store.query(query.clone().after(decoded)).await.unwrap();
        pages += 1;
        sks.extend(
            page.items
                .iter()
                .map(|i| i["sk"].as_str().unwrap().to_string()),
        );
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
        assert!(pages < 10_000, "cursor never ends");
    }
    (sks, pages)
}

pub async fn cursor_pages_through_thousand_items(store: DynStore) {
    let expected = fill(&store, "BIG", 1000).await;
    fill(&store, "OTHER", 5).await;
    let (sks, pages) = collect_sks(&store, Query::partition(Index::Table, "BIG").limit(37)).await;
    assert_eq!(sks, expected, "every item once, in order");
    assert!(
        pages >= 1000 / 37,
        "paged in steps of the limit, got {pages} pages"
    );
}

pub async fn cursor_pages_backward(store: DynStore) {
    let mut expected = fill(&store, "BIG", 120).await;
    expected.reverse();
    let (sks, _) = collect_sks(
        &store,
        Query::partition(Index::Table, "BIG").limit(50).backward(),
    )
    .await;
    assert_eq!(sks, expected);
}

pub async fn sort_key_conditions_select_ranges(store: DynStore) {
    for sk in ["a#1", "a#2", "a#3", "b#1", "ab", "c"] {
        store.put(item("R", sk, json!({})), None).await.unwrap();
    }
    let run = |sk: SortKey| {
        let store = store.clone();
        async move {
            collect_sks(&store, Query::partition(Index::Table, "R").sort_key(sk))
                .await
                .0
        }
    };
    assert_eq!(
        run(SortKey::BeginsWith("a#".into())).await,
        ["a#1", "a#2", "a#3"]
    );
    assert_eq!(
        run(SortKey::Between("a#2".into(), "b#1".into())).await,
        ["a#2", "a#3", "ab", "b#1"]
    );
    assert_eq!(run(SortKey::Lt("a#2".into())).await, ["a#1"]);
    assert_eq!(run(SortKey::Ge("b#1".into())).await, ["b#1", "c"]);
    assert_eq!(run(SortKey::Gt("b#1".into())).await, ["c"]);
    assert_eq!(run(SortKey::Le("a#1".into())).await, ["a#1"]);
    assert_eq!(run(SortKey::Eq("ab".into())).await, ["ab"]);
}

pub async fn gsi_query_returns_matching_items_in_order(store: DynStore) {
    let rows = [
        ("u1", "g", "2025-03"),
        ("u2", "g", "2025-01"),
        ("u3", "h", "2025-02"),
        ("u4", "g", "2025-02"),
    ];
    for (pk, g, s) in rows {
        store
            .put(item(pk, "profile", json!({"gsi1pk": g, "gsi1sk": s})), None)
            .await
            .unwrap();
    }
    // Half an index key: not in the index.
    store
        .put(item("u5", "profile", json!({"gsi1pk": "g"})), None)
        .await
        .unwrap();
    let page = store
        .query(Query::partition(Index::Gsi1, "g"))
        .await
        .unwrap();
    let pks: Vec<_> = page
        .items
        .iter()
        .map(|i| i["pk"].as_str().unwrap())
        .collect();
    assert_eq!(pks, ["u2", "u4", "u1"]);
    assert!(page.items.iter().all(|i| i["gsi1pk"] == "g"));
    let page = store
        .query(
            Query::partition(Index::Gsi1, "g")
                .sort_key(SortKey::Ge("2025-02".into()))
                .backward(),
        )
        .await
        .unwrap();
    let pks: Vec<_> = page
        .items
        .iter()
        .map(|i| i["pk"].as_str().unwrap())
        .collect();
    assert_eq!(pks, ["u1", "u4"]);
    let other = store
        .query(Query::partition(Index::Gsi2, "g"))
        .await
        .unwrap();
    assert!(other.items.is_empty());
}

pub async fn gsi_cursor_handles_equal_sort_keys(store: DynStore) {
    for i in 0..30 {
        store
            .put(
                item(
                    &format!("p{i:02}"),
                    "x",
                    json!({"gsi2pk": "same", "gsi2sk": format!("k{}", i % 3)}),
                ),
                None,
            )
            .await
            .unwrap();
    }
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = store
            .query(Query::partition(Index::Gsi2, "same").limit(4).after(cursor))
            .await
            .unwrap();
        seen.extend(page.items.iter().map(|i| {
            (
                i["gsi2sk"].as_str().unwrap().to_string(),
                i["pk"].as_str().unwrap().to_string(),
            )
        }));
        cursor = page.next;
        if cursor.is_none() {
            break;
        }
    }
    assert_eq!(seen.len(), 30);
    let mut unique: Vec<_> = seen.iter().map(|(_, pk)| pk.clone()).collect();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 30, "no repeats");
    assert!(
        seen.windows(2).all(|w| w[0].0 <= w[1].0),
        "sorted by index sort key"
    );
}

pub async fn filter_applies_after_limit(store: DynStore) {
    for i in 0..10 {
        let status = if i % 2 == 0 { "even" } else { "odd" };
        store
            .put(
                item("F", &format!("{i:02}"), json!({"status": status})),
                None,
            )
            .await
            .unwrap();
    }
    let query = Query::partition(Index::Table, "F").filter(Cond::eq("status", "odd"));
    let first = store.query(query.clone().limit(4)).await.unwrap();
    assert_eq!(
        first.items.len(),
        2,
        "limit counts items read, not items kept"
    );
    assert!(first.next.is_some());
    let (all, _) = collect_sks(&store, query.limit(3)).await;
    assert_eq!(all, ["01", "03", "05", "07", "09"]);
}

pub async fn expired_item_is_absent(store: DynStore) {
    let now = chrono::Utc::now().timestamp();
    store
        .put(item("E", "old", json!({"ttl": now - 10})), None)
        .await
        .unwrap();
    store
        .put(item("E", "new", json!({"ttl": now + 3600})), None)
        .await
        .unwrap();
    assert_eq!(get(&store, "E", "old").await, None);
    assert!(get(&store, "E", "new").await.is_some());
}

pub async fn get_many_answers_each_key_in_order(store: DynStore) {
    let now = chrono::Utc::now().timestamp();
    let a = item("M", "a", json!({"v": 1}));
    let b = item("N", "b", json!({"v": 2}));
    store.put(a.clone(), None).await.unwrap();
    store.put(b.clone(), None).await.unwrap();
    store
        .put(item("M", "old", json!({"ttl": now - 10})), None)
        .await
        .unwrap();
    let keys = ["b", "missing", "old", "a"].map(|sk| match sk {
        "b" => Key::new("N", "b"),
        sk => Key::new("M", sk),
    });
    let found = store.get_many(&keys).await.unwrap();
    assert_eq!(found, vec![Some(b), None, None, Some(a.clone())]);
    assert_eq!(
        store.get_many(&[]).await.unwrap(),
        Vec::<Option<Item>>::new()
    );
    let twice = store
        .get_many(&[Key::new("M", "a"), Key::new("M", "a")])
        .await;
    assert_eq!(twice.unwrap(), vec![Some(a.clone()), Some(a)]);
}

/// DynamoDB's BatchGetItem takes 100 keys: more are read in several requests.
pub async fn get_many_reads_more_keys_than_one_request_takes(store: DynStore) {
    let items: Vec<Item> = (0..130)
        .map(|n| item("MANY", &format!("{n:03}"), json!({"n": n})))
        .collect();
    for chunk in items.chunks(crate::MAX_TRANSACTION_ITEMS) {
        let puts = chunk
            .iter()
            .map(|item| TxOp::Put {
                item: item.clone(),
                cond: None,
            })
            .collect();
        store.transact(puts).await.unwrap();
    }
    let mut keys: Vec<Key> = (0..130)
        .rev()
        .map(|n| Key::new("MANY", format!("{n:03}")))
        .collect();
    keys.push(Key::new("MANY", "absent"));
    let found = store.get_many(&keys).await.unwrap();
    let mut expected: Vec<Option<Item>> = items.into_iter().rev().map(Some).collect();
    expected.push(None);
    assert_eq!(found, expected);
}

pub async fn oversized_item_is_refused(store: DynStore) {
    let big = "x".repeat(crate::MAX_ITEM_BYTES + 1);
    let err = store
        .put(item("P", "big", json!({ "data": big })), None)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    assert_eq!(get(&store, "P", "big").await, None);
}

pub async fn add_to_string_is_refused(store: DynStore) {
    store
        .put(item("P", "S", json!({"name": "x"})), None)
        .await
        .unwrap();
    let err = store
        .update(&Key::new("P", "S"), Update::new().add("name", 1), None)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    assert_eq!(get(&store, "P", "S").await.unwrap()["name"], json!("x"));
}

pub async fn malformed_index_key_is_refused(store: DynStore) {
    for bad in [
        json!({"gsi1pk": "", "gsi1sk": "x"}),
        json!({"gsi2pk": "p", "gsi2sk": 5}),
    ] {
        let err = store
            .put(item("P", "bad", bad.clone()), None)
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{bad}: {err:?}");
    }
    assert_eq!(get(&store, "P", "bad").await, None);
}

pub async fn invalid_updates_are_refused(store: DynStore) {
    store
        .put(item("P", "S", json!({"n": 1})), None)
        .await
        .unwrap();
    let key = Key::new("P", "S");
    let empty = store.update(&key, Update::new(), None).await.unwrap_err();
    assert!(matches!(empty, StoreError::Invalid(_)), "{empty:?}");
    let rekey = store
        .update(&key, Update::new().set("pk", "other"), None)
        .await
        .unwrap_err();
    assert!(matches!(rekey, StoreError::Invalid(_)), "{rekey:?}");
    let in_tx = store
        .transact(vec![TxOp::Update {
            key: key.clone(),
            update: Update::new().set("sk", "x"),
            cond: None,
        }])
        .await
        .unwrap_err();
    assert!(matches!(in_tx, StoreError::Invalid(_)), "{in_tx:?}");
    assert_eq!(
        get(&store, "P", "S").await,
        Some(item("P", "S", json!({"n": 1})))
    );
    // Removing from a missing item still creates it, with its key alone (an upsert).
    let created = store
        .update(&Key::new("P", "new"), Update::new().remove("x"), None)
        .await
        .unwrap();
    assert_eq!(created, Key::new("P", "new").to_item());
}

pub async fn cursor_of_another_partition_is_refused(store: DynStore) {
    fill(&store, "L", 10).await;
    fill(&store, "M", 10).await;
    let page = store
        .query(Query::partition(Index::Table, "L").limit(5))
        .await
        .unwrap();
    assert!(page.next.is_some());
    let err = store
        .query(Query::partition(Index::Table, "M").after(page.next))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::InvalidCursor), "{err:?}");
}
