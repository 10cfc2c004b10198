//! Kbine's Socket.IO events (`kbine.md`, WebSocket / Socket.IO; issue 26), end to end: the
//! official socket.io-client, through the local gateway that plays API Gateway, on both
//! stores. Silence is proven without waiting: frames to one connection arrive in order, and
//! every event of a REST call is posted before its answer, so a round trip made after the
//! answer comes back behind any event that was sent.

use api_tests::live::{SocketIoClient, user_of};
use api_tests::{Backend, ProductApp};
use reqwest::StatusCode;
use serde_json::{Value, json};
use web::live::connections::{self, Connection};

async fn kbine(backend: Backend) -> ProductApp {
    let app = ProductApp::spawn(&kbine::Kbine, backend).await;
    kbine::seed::demo_catalogue(&app.deps.store).await.unwrap();
    app
}

macro_rules! both {
    ($name:ident, $scenario:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn embedded() {
                ($scenario)(kbine(Backend::Embedded).await).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn dynamodb() {
                ($scenario)(kbine(Backend::DynamoDb).await).await;
            }
        }
    };
}

/// A client signed in by phone number (Kbine's first login creates the account).
async fn client(app: &ProductApp, phone: &str) -> String {
    let login = app
        .post("/api/auth/login", None, json!({"phoneNumber": phone}))
        .await;
    assert_eq!(login.status, StatusCode::OK, "{}", login.body);
    login.body["token"].as_str().unwrap().to_owned()
}

async fn order(app: &ProductApp, token: &str, phone: &str) -> Value {
    let body = json!({"plan_id": 1, "phone_number": phone, "payment_method": "wave"});
    let created = app.post("/api/orders", Some(token), body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    created.body
}

async fn move_order(app: &ProductApp, staff: &str, id: &Value, status: &str) {
    let path = format!("/api/orders/{id}/status");
    let moved = app.put(&path, Some(staff), json!({"status": status})).await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
}

fn live(app: &ProductApp) -> &api_tests::live::LiveServer {
    app.live.as_ref().expect("Kbine has live events")
}

/// A signed-in Socket.IO client of `token`, connected.
async fn socket(app: &ProductApp, token: &str) -> SocketIoClient {
    let mut socket = SocketIoClient::connect(live(app), Some(token));
    socket.expect("connect").await;
    socket
}

/// An admin's client in the admin room.
async fn admin_in_room(app: &ProductApp) -> (SocketIoClient, String) {
    let admin = app.caller("admin").await.access_token;
    let mut socket = socket(app, &admin).await;
    let (before, joined) = socket.round_trip("join-admin-room").await;
    assert_eq!(before, Vec::<Value>::new());
    assert_eq!(joined, json!({"success": true, "room": "admin"}));
    (socket, admin)
}

/// `value` as a JavaScript client holds it: numbers have no integer kind (`1000.0` is
/// `1000`).
fn as_javascript(value: Value) -> Value {
    match value {
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 9e15 => json!(f as i64),
            _ => Value::Number(n),
        },
        Value::Array(items) => Value::Array(items.into_iter().map(as_javascript).collect()),
        Value::Object(fields) => Value::Object(
            fields
                .into_iter()
                .map(|(k, v)| (k, as_javascript(v)))
                .collect(),
        ),
        other => other,
    }
}

/// Nothing reached `socket` before now (see the module's note).
async fn heard_nothing(socket: &mut SocketIoClient) {
    let (before, answer) = socket.round_trip("anything-else").await;
    assert_eq!(answer, json!({"error": "Événement inconnu"}));
    assert_eq!(
        before,
        vec![json!({"kind": "event", "event": "error", "data": {"message": "Événement inconnu"}})],
        "only the refusal of the unknown event"
    );
}

both!(
    admins_in_the_room_hear_new_orders_and_clients_hear_their_own,
    |app: ProductApp| async move {
        let (mut admin, _) = admin_in_room(&app).await;
        let alice = client(&app, "0701020304").await;
        let bob = client(&app, "0701020305").await;
        let mut alice_socket = socket(&app, &alice).await;
        let mut bob_socket = socket(&app, &bob).await;

        let created = order(&app, &alice, "0701020304").await;
        // The admin hears of it with the order as the API answered it.
        assert_eq!(
            admin.event("new-order").await,
            as_javascript(created.clone())
        );
        heard_nothing(&mut alice_socket).await;
        heard_nothing(&mut bob_socket).await;

        let staff = app.caller("staff").await.access_token;
        move_order(&app, &staff, &created["id"], "processing").await;
        let update = alice_socket.event("order-status-update").await;
        // The order as its client reads it (GET /api/orders/{id}).
        let details = app
            .get(&format!("/api/orders/{}", created["id"]), Some(&alice))
            .await;
        assert_eq!(update, as_javascript(details.body));
        assert_eq!(update["status"], "processing");
        heard_nothing(&mut bob_socket).await;
        heard_nothing(&mut admin).await;
        for socket in [admin, alice_socket, bob_socket] {
            socket.close().await;
        }
    }
);

both!(
    only_admins_join_the_admin_room,
    |app: ProductApp| async move {
        for role in ["client", "staff"] {
            let token = match role {
                "client" => client(&app, "0701020306").await,
                _ => app.caller(role).await.access_token,
            };
            let mut socket = socket(&app, &token).await;
            let (before, answer) = socket.round_trip("join-admin-room").await;
            assert_eq!(answer, json!({"error": "Accès non autorisé"}), "{role}");
            assert_eq!(
                before,
                vec![
                    json!({"kind": "event", "event": "error", "data": {"message": "Accès non autorisé"}})
                ]
            );
            order(&app, &token, "0701020306").await;
            heard_nothing(&mut socket).await;
            socket.close().await;
        }
    }
);

both!(
    every_connection_of_a_client_hears_its_orders,
    |app: ProductApp| async move {
        let alice = client(&app, "0701020307").await;
        let mut phone = socket(&app, &alice).await;
        let mut laptop = socket(&app, &alice).await;
        let created = order(&app, &alice, "0701020307").await;
        let staff = app.caller("staff").await.access_token;
        move_order(&app, &staff, &created["id"], "cancelled").await;
        assert_eq!(
            phone.event("order-status-update").await["status"],
            "cancelled"
        );
        assert_eq!(
            laptop.event("order-status-update").await["status"],
            "cancelled"
        );
        phone.close().await;
        laptop.close().await;
    }
);

both!(
    a_connection_closed_by_the_server_comes_back_and_keeps_hearing,
    |app: ProductApp| async move {
        let (mut admin, token) = admin_in_room(&app).await;
        admin.rejoin("join-admin-room").await;
        let store = &app.deps.store;
        let before: Vec<_> = connections::of_user(store, &user_of(&token)).await.unwrap();
        assert_eq!(before.len(), 1);
        // As API Gateway does after two hours.
        live(&app)
            .gateway
            .close(&before[0].connection)
            .await
            .unwrap();
        assert_eq!(
            admin.expect("disconnect").await["reason"],
            "transport close"
        );
        admin.expect("connect").await;
        let rejoined = admin.expect("ack").await;
        assert_eq!(rejoined["data"]["success"], true, "{rejoined}");
        // A new connection, authorised again; the old one is forgotten.
        let after = connections::of_user(store, &user_of(&token)).await.unwrap();
        assert_eq!(after.len(), 1);
        assert_ne!(after[0].connection, before[0].connection);
        assert!(
            connections::get(store, &before[0].connection)
                .await
                .unwrap()
                .is_none()
        );

        let alice = client(&app, "0701020308").await;
        let created = order(&app, &alice, "0701020308").await;
        assert_eq!(admin.event("new-order").await["id"], created["id"]);
        admin.close().await;
    }
);

both!(
    a_gone_connection_is_forgotten,
    |app: ProductApp| async move {
        let alice = client(&app, "0701020309").await;
        let mut socket = socket(&app, &alice).await;
        // A connection whose $disconnect never came: API Gateway answers 410 for it.
        let store = &app.deps.store;
        let user = user_of(&alice);
        let connected = connections::of_user(store, &user).await.unwrap();
        let session = connections::get(store, &connected[0].connection)
            .await
            .unwrap()
            .unwrap()
            .session;
        let mut stale = Connection::new("Z29uZS1hbHJlYWR5", None);
        stale.user = Some(user.clone());
        stale.session = session;
        connections::open(store, &stale).await.unwrap();
        connections::list(store, &stale.id, &stale.caller().unwrap())
            .await
            .unwrap();
        assert_eq!(connections::of_user(store, &user).await.unwrap().len(), 2);

        let created = order(&app, &alice, "0701020309").await;
        let staff = app.caller("staff").await.access_token;
        move_order(&app, &staff, &created["id"], "processing").await;
        assert_eq!(
            socket.event("order-status-update").await["id"],
            created["id"]
        );
        assert!(connections::get(store, &stale.id).await.unwrap().is_none());
        assert_eq!(connections::of_user(store, &user).await.unwrap().len(), 1);
        socket.close().await;
    }
);

both!(
    a_connection_needs_a_valid_token_and_ends_with_its_session,
    |app: ProductApp| async move {
        let mut anonymous = SocketIoClient::connect(live(&app), None);
        assert_eq!(
            anonymous.expect("connect_error").await["message"],
            "Token d'accès requis"
        );
        anonymous.close().await;
        let mut forged = SocketIoClient::connect(live(&app), Some("not.a.token"));
        assert_eq!(
            forged.expect("connect_error").await["message"],
            "Token invalide ou expiré"
        );
        forged.close().await;

        // A client who logs out stops hearing: their connection ends at the next event, and
        // its reconnection is refused.
        let login = app
            .post(
                "/api/auth/login",
                None,
                json!({"phoneNumber": "0701020310"}),
            )
            .await;
        let (token, refresh) = (
            login.body["token"].as_str().unwrap().to_owned(),
            login.body["refreshToken"].clone(),
        );
        let mut socket = socket(&app, &token).await;
        let created = order(&app, &token, "0701020310").await;
        let out = app
            .post(
                "/api/auth/logout",
                Some(&token),
                json!({"refreshToken": refresh}),
            )
            .await;
        assert!(out.status.is_success(), "{}", out.body);
        let staff = app.caller("staff").await.access_token;
        move_order(&app, &staff, &created["id"], "processing").await;
        assert_eq!(
            socket.expect("disconnect").await["reason"],
            "transport close"
        );
        assert_eq!(
            socket.expect("connect_error").await["message"],
            "Token invalide ou expiré"
        );
        assert!(
            connections::of_user(&app.deps.store, &user_of(&token))
                .await
                .unwrap()
                .is_empty()
        );
        socket.close().await;
    }
);

/// The next text frame of a raw WebSocket.
async fn frame<S>(socket: &mut S) -> String
where
    S: futures_util::Stream<
            Item = Result<
                tokio_tungstenite::tungstenite::Message,
                tokio_tungstenite::tungstenite::Error,
            >,
        > + Unpin,
{
    use futures_util::StreamExt as _;
    loop {
        let next = tokio::time::timeout(std::time::Duration::from_secs(15), socket.next())
            .await
            .expect("a frame in time")
            .expect("the connection is open")
            .expect("a frame");
        if let tokio_tungstenite::tungstenite::Message::Text(text) = next {
            return text.to_string();
        }
    }
}

both!(
    the_wire_is_engine_io_v4_and_the_heartbeat_pings_every_connection,
    |app: ProductApp| async move {
        use futures_util::SinkExt as _;
        use tokio_tungstenite::tungstenite::Message;
        let server = live(&app);
        // A client that is not Engine.IO v4 over WebSocket is refused at the handshake.
        for query in ["?EIO=3&transport=websocket", "?EIO=4&transport=polling", ""] {
            let url = format!("{}{}{query}", server.url, server.path);
            match tokio_tungstenite::connect_async(url).await {
                Err(tokio_tungstenite::tungstenite::Error::Http(refused)) => {
                    assert_eq!(refused.status(), 400, "{query}");
                }
                other => panic!("{query}: not refused ({:?})", other.map(|_| ())),
            }
        }
        let url = format!("{}{}?EIO=4&transport=websocket", server.url, server.path);
        let (mut socket, _) = tokio_tungstenite::connect_async(url).await.unwrap();
        let open = frame(&mut socket).await;
        let open: Value =
            serde_json::from_str(open.strip_prefix('0').expect("an open packet")).unwrap();
        assert_eq!(open["upgrades"], json!([]));
        assert_eq!(
            (
                open["pingInterval"].as_u64(),
                open["pingTimeout"].as_u64(),
                open["maxPayload"].as_u64()
            ),
            (Some(60_000), Some(60_000), Some(32_768))
        );
        let token = client(&app, "0701020311").await;
        socket
            .send(Message::Text(
                format!("40{}", json!({"token": token})).into(),
            ))
            .await
            .unwrap();
        let connected = frame(&mut socket).await;
        let connected: Value = serde_json::from_str(connected.strip_prefix("40").unwrap()).unwrap();
        assert!(connected["sid"].is_string(), "{connected}");
        // An event that asks for an acknowledgement gets one.
        socket
            .send(Message::Text(r#"427["join-admin-room"]"#.into()))
            .await
            .unwrap();
        assert_eq!(
            frame(&mut socket).await,
            r#"42["error",{"message":"Accès non autorisé"}]"#
        );
        assert_eq!(
            frame(&mut socket).await,
            r#"437[{"error":"Accès non autorisé"}]"#
        );

        let done = server.endpoint.heartbeat().await.unwrap();
        assert_eq!(frame(&mut socket).await, "2");
        assert!(done.contains("sent: 1"), "{done}");
        socket.send(Message::Text("3".into())).await.unwrap();
    }
);
