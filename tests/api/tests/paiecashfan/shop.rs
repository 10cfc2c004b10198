//! The club shop: the catalogue with its stock, the cart, and the checkout that pays, takes
//! the stock, writes the order and empties the cart at once.

use super::*;

async fn stock(app: &ProductApp, product: &str) -> i64 {
    let key = paiecashfan::shop::key(product);
    let item = app.deps.store.get(&key).await.unwrap().unwrap();
    item["stock"].as_i64().unwrap()
}

async fn add(app: &ProductApp, fan: &Fan, product: &str, quantity: Value) -> api_tests::Reply {
    let body = json!({"productId": product, "quantity": quantity});
    app.post("/api/shop/cart/add", Some(&fan.token), body).await
}

both!(
    products_are_listed_by_club_and_category,
    |app: ProductApp| async move {
        let ids = |reply: &api_tests::Reply| -> Vec<String> {
            assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
            reply.body["products"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["id"].as_str().unwrap().to_owned())
                .collect()
        };
        let all = app.get("/api/shop/products", None).await;
        assert_eq!(ids(&all).len(), 6);
        let first = &all.body["products"][0];
        for field in ["id", "clubId", "category", "name", "price", "stock"] {
            assert!(!first[field].is_null(), "{field}: {first}");
        }
        let psg = app.get("/api/shop/products?club=psg", None).await;
        assert_eq!(ids(&psg), ["psg-maillot-domicile", "psg-echarpe"]);
        let shirts = app
            .get("/api/shop/products?club=psg&category=maillots", None)
            .await;
        assert_eq!(ids(&shirts), ["psg-maillot-domicile"]);
        assert_eq!(shirts.body["products"][0]["price"], 89.99);
        let accessories = app
            .get("/api/shop/products?category=accessoires", None)
            .await;
        assert_eq!(ids(&accessories), ["ol-ballon", "om-casquette"]);
    }
);

both!(
    a_cart_takes_what_is_in_stock,
    |app: ProductApp| async move {
        let awa = fan(&app, "awa@example.com", "om").await;
        for quantity in [json!(0), json!(-1), json!("2"), json!(1.5)] {
            let reply = add(&app, &awa, "om-casquette", quantity.clone()).await;
            assert_eq!(
                reply.status,
                StatusCode::BAD_REQUEST,
                "{quantity}: {:?}",
                reply.body
            );
            assert!(reply.body["error"]["fields"]["quantity"].is_array());
        }
        let unknown = add(&app, &awa, "nope", json!(1)).await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
        let beyond = add(&app, &awa, "om-casquette", json!(4)).await;
        assert_eq!(beyond.status, StatusCode::BAD_REQUEST, "{:?}", beyond.body);
        assert_eq!(beyond.body["error"]["message"], "Stock insuffisant");
        let two = add(&app, &awa, "om-casquette", json!(2)).await;
        assert_eq!(two.status, StatusCode::CREATED, "{:?}", two.body);
        // With what the cart holds already: 2 + 2 is more than the 3 in stock.
        let more = add(&app, &awa, "om-casquette", json!(2)).await;
        assert_eq!(more.status, StatusCode::BAD_REQUEST);
        let shirt = add(&app, &awa, "om-maillot-domicile", json!(1)).await;
        assert_eq!(shirt.status, StatusCode::CREATED);
        let cart = app.get("/api/shop/cart", Some(&awa.token)).await;
        assert_eq!(cart.status, StatusCode::OK);
        assert_eq!(cart.body["total"], 139.97);
        let lines: Vec<(String, i64)> = cart.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["productId"].as_str().unwrap().to_owned(),
                    i["quantity"].as_i64().unwrap(),
                )
            })
            .collect();
        assert!(
            lines.contains(&("om-casquette".into(), 2))
                && lines.contains(&("om-maillot-domicile".into(), 1))
        );
    }
);

both!(
    a_checkout_pays_takes_the_stock_and_empties_the_cart,
    |app: ProductApp| async move {
        let awa = fan(&app, "awa@example.com", "psg").await;
        let empty = app
            .post("/api/shop/checkout", Some(&awa.token), json!({"total": 10}))
            .await;
        assert_eq!(empty.status, StatusCode::BAD_REQUEST);
        assert_eq!(empty.body["error"]["message"], "Le panier est vide");

        assert_eq!(
            add(&app, &awa, "psg-maillot-domicile", json!(1))
                .await
                .status,
            StatusCode::CREATED
        );
        assert_eq!(
            add(&app, &awa, "psg-echarpe", json!(2)).await.status,
            StatusCode::CREATED
        );
        // A stale total: the client showed another.
        let stale = app
            .post(
                "/api/shop/checkout",
                Some(&awa.token),
                json!({"total": 89.99}),
            )
            .await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{:?}", stale.body);
        assert_eq!(stale.body["error"]["details"]["total"], 129.97);
        // Not enough in the wallet: nothing moves.
        fund(&app, &awa, 100).await;
        let poor = app
            .post(
                "/api/shop/checkout",
                Some(&awa.token),
                json!({"total": 129.97}),
            )
            .await;
        assert_eq!(poor.status, StatusCode::BAD_REQUEST, "{:?}", poor.body);
        assert_eq!(poor.body["error"]["message"], "Solde insuffisant");
        assert_eq!(stock(&app, "psg-maillot-domicile").await, 25);
        assert_eq!(
            app.get("/api/shop/cart", Some(&awa.token)).await.body["total"],
            129.97
        );

        fund(&app, &awa, 50).await;
        let placed = app
            .post(
                "/api/shop/checkout",
                Some(&awa.token),
                json!({"total": 129.97}),
            )
            .await;
        assert_eq!(placed.status, StatusCode::CREATED, "{:?}", placed.body);
        assert_eq!(placed.body["order"]["total"], 129.97);
        assert_eq!(placed.body["order"]["items"].as_array().unwrap().len(), 2);
        assert_eq!(balance(&app, &awa).await, 20.03);
        assert_eq!(stock(&app, "psg-maillot-domicile").await, 24);
        assert_eq!(stock(&app, "psg-echarpe").await, 58);
        let cart = app.get("/api/shop/cart", Some(&awa.token)).await;
        assert_eq!(cart.body, json!({"items": [], "total": 0.0}));
        let history = app.get("/api/wallet/transactions", Some(&awa.token)).await;
        assert_eq!(history.body["transactions"][0]["kind"], "shop");
        let report = ledger_holds(&app).await;
        assert_eq!((report.deposited, report.spent), (15000, 12997));

        // The order is the buyer's to read again, and nobody else's.
        let orders = app.get("/api/shop/orders", Some(&awa.token)).await;
        assert_eq!(orders.status, StatusCode::OK, "{:?}", orders.body);
        assert_eq!(orders.body["orders"], json!([placed.body["order"]]));
        assert_eq!(
            orders.body["orders"][0]["entryId"],
            history.body["transactions"][0]["id"]
        );
        let moussa = fan(&app, "moussa@example.com", "psg").await;
        let theirs = app.get("/api/shop/orders", Some(&moussa.token)).await;
        assert_eq!(theirs.body, json!({"orders": []}));
    }
);

both!(
    two_fans_buying_the_last_piece_one_wins,
    |app: ProductApp| async move {
        let awa = fan(&app, "awa@example.com", "losc").await;
        let moussa = fan(&app, "moussa@example.com", "losc").await;
        for fan in [&awa, &moussa] {
            fund(&app, fan, 50).await;
            assert_eq!(
                add(&app, fan, "losc-echarpe", json!(1)).await.status,
                StatusCode::CREATED
            );
        }
        let body = json!({"total": 17.99});
        let (a, m) = tokio::join!(
            app.post("/api/shop/checkout", Some(&awa.token), body.clone()),
            app.post("/api/shop/checkout", Some(&moussa.token), body.clone()),
        );
        one_wins(&a, &m);
        assert_eq!(stock(&app, "losc-echarpe").await, 0);
        let report = ledger_holds(&app).await;
        assert_eq!((report.wallets, report.spent), (10_000 - 1799, 1799));
    }
);
