//! How Lumira's route groups run as Lambda functions in `template.yaml`
//! (`web::routes::deploy`): `cargo regenerate` writes the functions from this and the route
//! table.

use web::routes::deploy::{Deployment, Function};

/// The template's functions of every route group.
pub const DEPLOYMENT: Deployment = Deployment {
    prefix: "Lumira",
    policies: &["LumiraTableAccessPolicy"],
    environment: &[
        ("TABLE_NAME", "!Ref LumiraTable"),
        ("RATE_LIMIT_MAX", "!Ref LumiraRateLimitMax"),
        ("RATE_LIMIT_WINDOW_SECS", "!Ref LumiraRateLimitWindowSecs"),
        ("CORS_ORIGINS", r#"!Join [",", !Ref LumiraAllowedOrigins]"#),
        ("ENVIRONMENT", "!Ref LumiraEnvironmentName"),
        ("JWT_SECRET", "!Ref LumiraJwtSecret"),
        ("JWT_REFRESH_SECRET", "!Ref LumiraRefreshSecret"),
    ],
    functions: &[
        // Lumira's monitoring group: /api/health and /api/ready.
        Function::new(
            "health",
            "Lumira /api/health and /api/ready.",
        )
        .policies(&["LumiraFilesReadPolicy"])
        .environment(&[
            ("BUCKET_NAME", "!Ref FilesBucket"),
            ("BLOB_PREFIX", "lumira/"),
            ("STRIPE_CONFIGURED", r#"!If [LumiraStripeConfigured, "true", "false"]"#),
        ]),
        // Lumira's products group: the catalogue, its payment intents and webhook. It and the
        // payments group run lumira-payments, the binary with Stripe's client, and keep no files.
        Function::new(
            "products",
            "Lumira /api/products (the catalogue, its checkout with Stripe, the products webhook).",
        )
        .environment(&[
            ("STRIPE_SECRET_KEY", "!Ref LumiraStripeSecretKey"),
            ("STRIPE_WEBHOOK_SECRET", "!Ref LumiraStripeWebhookSecret"),
        ]),
        Function::new(
            "payments",
            "Lumira /api/payments (confirmation with Stripe, the payments webhook).",
        )
        .environment(&[
            ("STRIPE_SECRET_KEY", "!Ref LumiraStripeSecretKey"),
            ("STRIPE_WEBHOOK_SECRET", "!Ref LumiraStripeWebhookSecret"),
        ]),
        // Lumira's staff sign-in: login, refresh, logout.
        Function::new(
            "auth",
            "Lumira /api/auth (staff login, refresh, logout).",
        )
        .environment(&[
            ("BUCKET_NAME", "!Ref FilesBucket"),
            ("BLOB_PREFIX", "lumira/"),
            ("LOGIN_RATE_LIMIT_MAX", "!Ref LumiraLoginRateLimitMax"),
            ("LOGIN_RATE_LIMIT_WINDOW_SECS", "!Ref LumiraLoginRateLimitWindowSecs"),
        ]),
        // Lumira's expert desk.
        Function::new(
            "expert",
            "Lumira /api/expert (the expert desk, its login, the review queue and decisions; photos by presigned links).",
        )
        .policies(&["LumiraFilesReadPolicy"])
        .environment(&[
            ("BUCKET_NAME", "!Ref FilesBucket"),
            ("BLOB_PREFIX", "lumira/"),
            ("LOGIN_RATE_LIMIT_MAX", "!Ref LumiraLoginRateLimitMax"),
            ("LOGIN_RATE_LIMIT_WINDOW_SECS", "!Ref LumiraLoginRateLimitWindowSecs"),
        ]),
        // Lumira's clients, for admins.
        Function::new(
            "users",
            "Lumira /api/users (the clients for admins, the client sanctuaire and its sign-in links by email).",
        )
        .policies(&["LumiraMailPolicy", "LumiraFilesReadPolicy"])  // The sanctuaire's links to delivered readings.
        .environment(&[
            ("BUCKET_NAME", "!Ref FilesBucket"),
            ("BLOB_PREFIX", "lumira/"),
            ("SANCTUAIRE_MODE", "!Ref LumiraSanctuaireMode"),
            ("SANCTUAIRE_LINK_URL", "!Ref LumiraSanctuaireLinkUrl"),
            ("MAIL_FROM", "!Ref LumiraMailFrom"),
        ]),
        // Lumira's back-office orders and their workflow.
        Function::new(
            "orders",
            "Lumira /api/orders (the back office's orders and their workflow, the client's submission with its photos).",
        )
        .policies(&["LumiraFilesAccessPolicy", "LumiraMailPolicy"])  // Experts are told of each reading whose content awaits their validation.
        .environment(&[
            ("BUCKET_NAME", "!Ref FilesBucket"),
            ("BLOB_PREFIX", "lumira/"),
            // The email to the experts comes from the verified sender and links to their desk.
            ("MAIL_FROM", "!Ref LumiraMailFrom"),
            ("EXPERT_DESK_URL", "!Ref LumiraExpertDeskUrl"),
        ]),
        // Lumira's delivery: the one function that typesets readings (its own binary, with the PDF engine).
        Function::new(
            "delivery",
            "Lumira PATCH /api/orders/{id}/delivered (the reading's PDF, laid out by parley and written by krilla; the delivery email).",
        )
        .policies(&["LumiraFilesAccessPolicy", "LumiraMailPolicy"])
        .environment(&[
            ("BUCKET_NAME", "!Ref FilesBucket"),
            ("BLOB_PREFIX", "lumira/"),
            ("SANCTUAIRE_LINK_URL", "!Ref LumiraSanctuaireLinkUrl"),
            ("MAIL_FROM", "!Ref LumiraMailFrom"),
        ])
        .size(512, 15),    ],
    jobs: &[],
    live: None,
};
