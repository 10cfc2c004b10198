//! `marketplace-admin.md` §8: the global report, a real PDF whose text holds the platform's
//! statistics and trends, its charts drawn as vectors.

use super::payments::{buy, deliver, provider};
use super::*;

both!(
    the_report_is_a_pdf_whose_text_holds_the_statistics,
    |app: ProductApp| async move {
        let (admin, token, _) = provider(&app, "salon@example.com").await;
        register(&app, "fatou@example.com", "Fatou", "Kamga").await;
        let boost = buy(&app, &token, "boost").await["payment"].clone();
        deliver(&app, "evt_report", "payment_intent.succeeded", &boost, None).await;

        let file = app.get_raw("/api/admin/export/report", Some(&admin)).await;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(file.headers["content-type"], "application/pdf");
        let today = web::time::now()[..10].to_owned();
        assert_eq!(
            file.headers["content-disposition"],
            format!("attachment; filename=\"rapport_{today}.pdf\"").as_str()
        );
        assert!(file.bytes.starts_with(b"%PDF-"));
        let text = pdf_extract::extract_text_from_mem(&file.bytes).unwrap();
        let text = text.replace('\u{202f}', " ");
        for expected in [
            "Rapport global",
            // The admin, the provider and Fatou: all three signed up this month.
            "Utilisateurs : 3 (1 clients, 1 prestataires)",
            "Prestataires : 1 (1 vérifiés, 0 en attente, 0 mis en avant)",
            "Paiements : 1 (1 acceptés, 0 en attente, 0 refusés, 0 annulés)",
            "Total encaissé : 2 000 FCFA",
            "Tendances des six derniers mois",
        ] {
            assert!(text.contains(expected), "{expected:?} not in {text}");
        }
        let month = chrono::Utc::now().format("%m").to_string();
        let names = [
            "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
            "nov.", "déc.",
        ];
        let this_month = names[month.parse::<usize>().unwrap() - 1];
        assert!(
            text.contains(&format!(
                "{this_month} {} : 3 inscriptions, 2 000 FCFA encaissés",
                &today[..4]
            )),
            "{text}"
        );
        // Charts are vector shapes: the file holds no picture.
        let raw = String::from_utf8_lossy(&file.bytes);
        assert!(!raw.contains("/Subtype /Image") && !raw.contains("/Subtype/Image"));

        let client = login(&app, "fatou@example.com", PASSWORD).await;
        let client = client.body["data"]["token"].as_str().unwrap().to_owned();
        let refused = app.get_raw("/api/admin/export/report", Some(&client)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    }
);
