//! Live messages (issue 26): a message sent reaches the other participants' open
//! connections at once, through the local gateway that plays API Gateway, with a plain
//! WebSocket client, on both stores. Silence is proven without waiting: frames to one
//! connection arrive in order, and a message's deliveries are posted before its answer, so
//! a ping made after the answer comes back behind anything that was sent.

use super::*;
use api_tests::live::{LiveServer, PlainClient};
use web::live::connections::{self, Connection};

fn live(app: &ProductApp) -> &LiveServer {
    app.live.as_ref().expect("PaieCashFan has live messages")
}

async fn send(app: &ProductApp, from: &Fan, to: &Fan, text: &str) -> Value {
    let sent = app
        .post(
            "/api/social/messages",
            Some(&from.token),
            json!({"recipientId": to.id, "message": text}),
        )
        .await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.body);
    sent.body
}

both!(
    a_message_reaches_the_other_participants_connections_and_nobody_else,
    |app: ProductApp| async move {
        let awa = fan(&app, "awa.live@example.com", "psg").await;
        let moussa = fan(&app, "moussa.live@example.com", "psg").await;
        let ines = fan(&app, "ines.live@example.com", "psg").await;
        let mut awa_phone = PlainClient::ready(live(&app), &awa.token).await;
        let mut moussa_phone = PlainClient::ready(live(&app), &moussa.token).await;
        let mut moussa_laptop = PlainClient::ready(live(&app), &moussa.token).await;
        let mut ines_phone = PlainClient::ready(live(&app), &ines.token).await;

        let sent = send(&app, &awa, &moussa, "On se retrouve au stade ?").await;
        let expected = json!({"type": "message", "message": sent["message"]});
        assert_eq!(moussa_phone.next().await, expected);
        assert_eq!(moussa_laptop.next().await, expected);
        // Neither the sender nor a fan outside the conversation.
        assert_eq!(awa_phone.round_trip().await, Vec::<Value>::new());
        assert_eq!(ines_phone.round_trip().await, Vec::<Value>::new());

        // The answer goes the other way, in the same conversation.
        let answer = send(&app, &moussa, &awa, "Oui, porte B").await;
        assert_eq!(
            answer["message"]["conversationId"],
            sent["message"]["conversationId"]
        );
        assert_eq!(awa_phone.next().await["message"], answer["message"]);
        assert_eq!(moussa_phone.round_trip().await, Vec::<Value>::new());
    }
);

both!(
    a_connection_needs_a_valid_token,
    |app: ProductApp| async move {
        assert_eq!(
            PlainClient::connect(live(&app), None).await.err(),
            Some(401)
        );
        assert_eq!(
            PlainClient::connect(live(&app), Some("not.a.token"))
                .await
                .err(),
            Some(401)
        );
        let awa = fan(&app, "awa.token@example.com", "om").await;
        let mut socket = PlainClient::ready(live(&app), &awa.token).await;
        socket.send("not json").await;
        assert_eq!(
            socket.next().await,
            json!({"type": "error", "message": "Message inconnu"})
        );
        socket.send(r#"{"type":"subscribe"}"#).await;
        assert_eq!(socket.next().await["type"], "error");
    }
);

both!(
    a_connection_ends_with_its_session,
    |app: ProductApp| async move {
        let awa = fan(&app, "awa.out@example.com", "ol").await;
        let moussa = fan(&app, "moussa.out@example.com", "ol").await;
        let mut socket = PlainClient::ready(live(&app), &moussa.token).await;
        // Shut out by an operator: every session ends, and the connection with it.
        app.product
            .set_active(&app.deps.store, "moussa.out@example.com", false)
            .await
            .unwrap();
        send(&app, &awa, &moussa, "Tu es là ?").await;
        assert_eq!(socket.next_or_closed().await, None);
        assert!(
            connections::of_user(&app.deps.store, &moussa.id)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            PlainClient::connect(live(&app), Some(&moussa.token))
                .await
                .err(),
            Some(401)
        );
    }
);

both!(
    a_connection_closed_by_the_server_comes_back_and_keeps_hearing,
    |app: ProductApp| async move {
        let awa = fan(&app, "awa.back@example.com", "losc").await;
        let moussa = fan(&app, "moussa.back@example.com", "losc").await;
        let mut socket = PlainClient::ready(live(&app), &moussa.token).await;
        let store = &app.deps.store;
        let before = connections::of_user(store, &moussa.id).await.unwrap();
        assert_eq!(before.len(), 1);
        // As API Gateway does after two hours.
        live(&app)
            .gateway
            .close(&before[0].connection)
            .await
            .unwrap();
        assert_eq!(socket.next_or_closed().await, None);
        let mut socket = PlainClient::ready(live(&app), &moussa.token).await;
        let after = connections::of_user(store, &moussa.id).await.unwrap();
        assert_eq!(after.len(), 1);
        assert_ne!(after[0].connection, before[0].connection);
        let sent = send(&app, &awa, &moussa, "De retour ?").await;
        assert_eq!(socket.next().await["message"], sent["message"]);
    }
);

both!(
    a_gone_connection_is_forgotten,
    |app: ProductApp| async move {
        let awa = fan(&app, "awa.gone@example.com", "asse").await;
        let moussa = fan(&app, "moussa.gone@example.com", "asse").await;
        let mut socket = PlainClient::ready(live(&app), &moussa.token).await;
        let store = &app.deps.store;
        let session = connections::get(
            store,
            &connections::of_user(store, &moussa.id).await.unwrap()[0].connection,
        )
        .await
        .unwrap()
        .unwrap()
        .session;
        // A connection whose $disconnect never came: API Gateway answers 410 for it.
        let mut stale = Connection::new("Z29uZS1hbHJlYWR5", None);
        stale.user = Some(moussa.id.clone());
        stale.session = session;
        connections::open(store, &stale).await.unwrap();
        connections::list(store, &stale.id, &stale.caller().unwrap())
            .await
            .unwrap();
        let sent = send(&app, &awa, &moussa, "Allô ?").await;
        assert_eq!(socket.next().await["message"], sent["message"]);
        assert!(connections::get(store, &stale.id).await.unwrap().is_none());
        assert_eq!(
            connections::of_user(store, &moussa.id).await.unwrap().len(),
            1
        );
    }
);

both!(
    api_gateways_frame_and_message_limits_hold,
    |app: ProductApp| async move {
        let awa = fan(&app, "awa.limits@example.com", "psg").await;
        let mut socket = PlainClient::ready(live(&app), &awa.token).await;
        let ids = connections::of_user(&app.deps.store, &awa.id)
            .await
            .unwrap();
        // A post over 128 KB is refused, and the connection stays.
        let posted = live(&app)
            .gateway
            .post(&ids[0].connection, &"x".repeat(129 * 1024))
            .await;
        assert_eq!(posted, Err(web::live::PostError::TooLarge));
        assert_eq!(socket.round_trip().await, Vec::<Value>::new());
        // A frame over 32 KB from the client closes its connection.
        socket.send(&"x".repeat(33 * 1024)).await;
        assert_eq!(socket.next_or_closed().await, None);
    }
);
