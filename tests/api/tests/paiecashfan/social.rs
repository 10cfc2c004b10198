//! Social: a pair's one conversation, messages only its participants read and post, the
//! conversations with their last message, and the club feed from real items.

use super::*;

async fn say(app: &ProductApp, from: &Fan, to: Value, message: &str) -> api_tests::Reply {
    let mut body = json!({"message": message});
    let (field, value) = match to {
        Value::Object(o) => o.into_iter().next().unwrap(),
        _ => unreachable!(),
    };
    body[field] = value;
    app.post("/api/social/messages", Some(&from.token), body)
        .await
}

both!(
    two_fans_share_one_conversation,
    |app: ProductApp| async move {
        let awa = fan(&app, "awa@example.com", "psg").await;
        let moussa = fan(&app, "moussa@example.com", "om").await;
        let lea = fan(&app, "lea@example.com", "psg").await;

        let first = say(
            &app,
            &awa,
            json!({"recipientId": moussa.id}),
            "Salut, tu vas au match ?",
        )
        .await;
        assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);
        let conversation = first.body["message"]["conversationId"]
            .as_str()
            .unwrap()
            .to_owned();
        // The other way round, by recipient: the same conversation.
        let reply = say(
            &app,
            &moussa,
            json!({"recipientId": awa.id}),
            "Oui, tribune nord",
        )
        .await;
        assert_eq!(
            reply.body["message"]["conversationId"],
            conversation.as_str()
        );
        let third = say(
            &app,
            &awa,
            json!({"conversationId": conversation}),
            "Top, à samedi",
        )
        .await;
        assert_eq!(third.status, StatusCode::CREATED);

        // Only participants post and read.
        let intruder = say(
            &app,
            &lea,
            json!({"conversationId": conversation}),
            "Coucou",
        )
        .await;
        assert_eq!(intruder.status, StatusCode::NOT_FOUND);
        let path = format!("/api/social/conversations/{conversation}/messages");
        assert_eq!(
            app.get(&path, Some(&lea.token)).await.status,
            StatusCode::NOT_FOUND
        );

        let read = app
            .get(&format!("{path}?limit=2"), Some(&moussa.token))
            .await;
        assert_eq!(read.status, StatusCode::OK, "{:?}", read.body);
        let texts: Vec<&str> = read.body["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["message"].as_str().unwrap())
            .collect();
        assert_eq!(texts, ["Top, à samedi", "Oui, tribune nord"]);
        let older = app
            .get(&format!("{path}?limit=2&page=2"), Some(&moussa.token))
            .await;
        assert_eq!(
            older.body["messages"][0]["message"],
            "Salut, tu vas au match ?"
        );

        let list = app
            .get("/api/social/conversations", Some(&moussa.token))
            .await;
        let conversations = list.body["conversations"].as_array().unwrap();
        assert_eq!(conversations.len(), 1);
        assert_eq!(conversations[0]["otherId"], awa.id.as_str());
        assert_eq!(conversations[0]["lastMessage"]["message"], "Top, à samedi");
        let none = app.get("/api/social/conversations", Some(&lea.token)).await;
        assert_eq!(none.body["conversations"], json!([]));
    }
);

both!(
    a_message_needs_a_text_and_one_addressee,
    |app: ProductApp| async move {
        let awa = fan(&app, "awa@example.com", "psg").await;
        let moussa = fan(&app, "moussa@example.com", "om").await;
        for body in [
            json!({"recipientId": moussa.id, "message": ""}),
            json!({"message": "Bonjour"}),
            json!({"recipientId": moussa.id, "conversationId": "x", "message": "Bonjour"}),
        ] {
            let reply = app
                .post("/api/social/messages", Some(&awa.token), body)
                .await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{:?}", reply.body);
        }
        let to_self = say(&app, &awa, json!({"recipientId": awa.id}), "Moi").await;
        assert_eq!(to_self.status, StatusCode::BAD_REQUEST);
        let nobody = say(&app, &awa, json!({"recipientId": "personne"}), "Allo").await;
        assert_eq!(nobody.status, StatusCode::NOT_FOUND);
    }
);

both!(
    the_feed_shows_the_clubs_news_and_matches,
    |app: ProductApp| async move {
        let awa = fan(&app, "awa@example.com", "psg").await;
        let feed = app.get("/api/social/feed", Some(&awa.token)).await;
        assert_eq!(feed.status, StatusCode::OK, "{:?}", feed.body);
        let items: Vec<(&str, &str)> = feed.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| (i["kind"].as_str().unwrap(), i["id"].as_str().unwrap()))
            .collect();
        assert_eq!(
            items,
            [
                ("news", "psg-news-2"),
                ("news", "psg-news-1"),
                ("event", "psg-om-2027-02-08")
            ]
        );
    }
);
