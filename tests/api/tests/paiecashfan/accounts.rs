//! `register(email, password, name, clubId)`, `login(email, password)` and the refresh.

use super::*;

both!(
    a_fan_registers_logs_in_and_renews_its_tokens,
    |app: ProductApp| async move {
        let body = json!({"email": "Awa@Example.com", "password": PASSWORD, "name": "Awa Diop", "clubId": "om"});
        let reply = app.post("/api/auth/register", None, body.clone()).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        let user = &reply.body["user"];
        assert_eq!(user["email"], "awa@example.com");
        assert_eq!(user["name"], "Awa Diop");
        assert_eq!(user["clubId"], "om");
        assert_eq!(user["role"], "fan");
        assert!(user.get("passwordHash").is_none());
        assert!(reply.body["token"].is_string() && reply.body["refreshToken"].is_string());

        // A taken email, whatever its case.
        let again = app.post("/api/auth/register", None, body).await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{:?}", again.body);
        assert_eq!(code(&again.body), "conflict");

        let login = app
            .post(
                "/api/auth/login",
                None,
                json!({"email": "awa@example.com", "password": PASSWORD}),
            )
            .await;
        assert_eq!(login.status, StatusCode::OK, "{:?}", login.body);
        assert_eq!(login.body["user"]["id"], user["id"]);
        let token = login.body["token"].as_str().unwrap();
        let wallet = app.get("/api/wallet/balance", Some(token)).await;
        assert_eq!(wallet.status, StatusCode::OK);
        assert_eq!(wallet.body, json!({"balance": 0.0, "currency": "EUR"}));

        let renewed = app
            .post(
                "/api/auth/refresh",
                None,
                json!({"refreshToken": login.body["refreshToken"]}),
            )
            .await;
        assert_eq!(renewed.status, StatusCode::OK, "{:?}", renewed.body);
        let token = renewed.body["token"].as_str().unwrap();
        assert_eq!(
            app.get("/api/wallet/balance", Some(token)).await.status,
            StatusCode::OK
        );
    }
);

both!(wrong_credentials_are_401, |app: ProductApp| async move {
    fan(&app, "moussa@example.com", "psg").await;
    for body in [
        json!({"email": "moussa@example.com", "password": "pas le bon mot de passe"}),
        json!({"email": "personne@example.com", "password": PASSWORD}),
    ] {
        let reply = app.post("/api/auth/login", None, body).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{:?}", reply.body);
        assert_eq!(
            reply.body["error"]["message"],
            "Email ou mot de passe incorrect"
        );
    }
});

both!(
    a_registration_names_every_wrong_field,
    |app: ProductApp| async move {
        let reply = app
        .post(
            "/api/auth/register",
            None,
            json!({"email": "pas-un-email", "password": "court", "name": " ", "clubId": "Nope!"}),
        )
        .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{:?}", reply.body);
        let fields = &reply.body["error"]["fields"];
        for field in ["email", "password", "name", "clubId"] {
            assert!(fields[field].is_array(), "{field}: {:?}", reply.body);
        }
        // A well-formed id that names no club.
        let reply = app
        .post(
            "/api/auth/register",
            None,
            json!({"email": "lea@example.com", "password": PASSWORD, "name": "Léa", "clubId": "real-madrid"}),
        )
        .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{:?}", reply.body);
        assert_eq!(
            reply.body["error"]["fields"]["clubId"],
            json!(["Club inconnu"])
        );
        // Nothing was created.
        let login = app
            .post(
                "/api/auth/login",
                None,
                json!({"email": "lea@example.com", "password": PASSWORD}),
            )
            .await;
        assert_eq!(login.status, StatusCode::UNAUTHORIZED);
    }
);
