//! The one-time-code login mode (`LOGIN_MODE=otp`): a client's number alone gets a code by
//! SMS, not a token; the code, once, within five minutes and five tries, gets the session.
use api_tests::{KbineConfig, Reply, TestApp, both};
use kbine::otp::LoginMode;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn otp_mode() -> KbineConfig {
    let mut config = api_tests::test_config();
    config.login_mode = LoginMode::Otp;
    config
}

async fn login(app: &TestApp, body: Value) -> Reply {
    app.post("/api/auth/login", None, body).await
}

/// The code of the last SMS sent to `phone` (in E.164 form).
fn last_code(app: &TestApp, phone: &str) -> String {
    let sent = app.outbox.sent();
    let sms = sent
        .iter()
        .rev()
        .find(|s| s.sms.to == phone)
        .expect("an SMS");
    let digits: String = sms.sms.text.chars().filter(char::is_ascii_digit).collect();
    digits[..6].to_owned()
}

both!(
    a_number_alone_gets_a_code_and_the_code_gets_the_session,
    config = otp_mode(),
    |app: TestApp| async move {
        let first = login(&app, json!({"phoneNumber": "0701020304"})).await;
        assert_eq!(first.status, StatusCode::ACCEPTED, "{:?}", first.body);
        assert_eq!(
            first.body,
            json!({"message": "Code de connexion envoyé par SMS", "expiresIn": 300})
        );
        assert!(first.body.get("token").is_none());
        let sent = app.outbox.sent();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].sms.to, "+2250701020304");
        assert!(
            sent[0]
                .sms
                .text
                .starts_with("Votre code de connexion Kbine : ")
        );
        let code = last_code(&app, "+2250701020304");

        let session = login(
            &app,
            json!({"phoneNumber": "+225 07 01 02 03 04", "code": code}),
        )
        .await;
        assert_eq!(session.status, StatusCode::OK, "{:?}", session.body);
        assert!(session.body["token"].is_string());
        assert_eq!(session.body["user"]["phoneNumber"], "0701020304");
        assert_eq!(session.body["user"]["role"], "client");
        // Used once.
        let replay = login(&app, json!({"phoneNumber": "0701020304", "code": code})).await;
        assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
        assert_eq!(replay.body, json!({"error": "Code invalide ou expiré"}));
        // A code is 6 digits, as a string.
        for bad in [json!("12345"), json!(123456), json!("12a456"), json!(null)] {
            let reply = login(&app, json!({"phoneNumber": "0701020304", "code": bad})).await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}");
            assert_eq!(reply.body["error"], "Code invalide", "{bad}");
        }
    }
);

both!(
    five_wrong_codes_spend_the_code_and_an_old_code_is_refused,
    config = otp_mode(),
    |app: TestApp| async move {
        assert_eq!(
            login(&app, json!({"phoneNumber": "0501020304"}))
                .await
                .status,
            StatusCode::ACCEPTED
        );
        let code = last_code(&app, "+2250501020304");
        let wrong = if code == "000000" { "111111" } else { "000000" };
        for attempt in 0..5 {
            let reply = login(&app, json!({"phoneNumber": "0501020304", "code": wrong})).await;
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
        }
        let right_too_late = login(&app, json!({"phoneNumber": "0501020304", "code": code})).await;
        assert_eq!(right_too_late.status, StatusCode::UNAUTHORIZED);

        // A new code replaces the old one; past its five minutes it is refused.
        login(&app, json!({"phoneNumber": "0501020304"})).await;
        let old = last_code(&app, "+2250501020304");
        login(&app, json!({"phoneNumber": "0501020304"})).await;
        let new = last_code(&app, "+2250501020304");
        if old != new {
            let replaced = login(&app, json!({"phoneNumber": "0501020304", "code": old})).await;
            assert_eq!(replaced.status, StatusCode::UNAUTHORIZED);
        }
        let key = store::Key::new("OTP#0501020304", "OTP");
        let past = store::Update::new().set("expires_at", chrono::Utc::now().timestamp() - 1);
        app.store.update(&key, past, None).await.unwrap();
        let expired = login(&app, json!({"phoneNumber": "0501020304", "code": new})).await;
        assert_eq!(expired.status, StatusCode::UNAUTHORIZED);
        // Three codes per number per quarter of an hour.
        let fourth = login(&app, json!({"phoneNumber": "0501020304"})).await;
        assert_eq!(fourth.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(
            fourth.body["error"],
            "Trop de codes demandés pour ce numéro, veuillez réessayer plus tard"
        );
        // Nothing was created by the refused attempts.
        let stored = app
            .store
            .get(&store::Key::new("PHONE#0501020304", "PHONE"))
            .await
            .unwrap();
        assert!(stored.is_none(), "{stored:?}");
    }
);

both!(
    staff_keep_their_password_and_get_no_code,
    config = otp_mode(),
    |app: TestApp| async move {
        let staff = app.staff().await;
        let bare = login(&app, json!({"phoneNumber": staff.phone})).await;
        assert_eq!(bare.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            bare.body,
            json!({"error": "Mot de passe requis pour ce compte"})
        );
        assert!(app.outbox.sent().is_empty());
    }
);
