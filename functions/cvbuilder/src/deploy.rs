//! How CV Builder's route groups run as Lambda functions in `template.yaml`
//! (`web::routes::deploy`): `cargo regenerate` writes the functions from this and the route
//! table.

use web::routes::deploy::{Deployment, Function};

/// The template's functions of every route group.
pub const DEPLOYMENT: Deployment = Deployment {
    prefix: "CVBuilder",
    policies: &["CVBuilderTableAccessPolicy"],
    environment: &[
        ("TABLE_NAME", "!Ref CVBuilderTable"),
        ("JWT_SECRET", "!Ref CVBuilderJwtSecret"),
        ("JWT_REFRESH_SECRET", "!Ref CVBuilderRefreshSecret"),
        ("RATE_LIMIT_MAX", "!Ref CVBuilderRateLimitMax"),
        ("RATE_LIMIT_WINDOW_SECS", "!Ref CVBuilderRateLimitWindowSecs"),
        ("LOGIN_RATE_LIMIT_MAX", "!Ref CVBuilderLoginRateLimitMax"),
        ("LOGIN_RATE_LIMIT_WINDOW_SECS", "!Ref CVBuilderLoginRateLimitWindowSecs"),
        ("CORS_ORIGINS", r#"!Join [",", !Ref CVBuilderAllowedOrigins]"#),
    ],
    functions: &[
        // Django's paths end with a slash: a group's list is its own route (`/api/resumes/`), since
        // `{proxy+}` takes one character at least.
        Function::new(
            "auth",
            "CV Builder /api/auth/ (register, login, refresh, profile, password).",
        ),
        Function::new(
            "templates",
            "CV Builder /api/templates/ (the résumé designs).",
        ),
        Function::new(
            "resumes",
            "CV Builder /api/resumes/ (anonymous and signed-in résumés).",
        ),
        Function::new(
            "export",
            "CV Builder POST /api/resumes/{id}/export_pdf/ (the résumé's PDF, laid out by parley and written by krilla, stored in S3).",
        )
        .policies(&["CVBuilderFilesAccessPolicy"])
        .environment(&[
            ("BUCKET_NAME", "!Ref FilesBucket"),
            ("BLOB_PREFIX", "cvbuilder/"),
        ])
        .size(512, 15),
        Function::new(
            "payments",
            "CV Builder /api/payments/ (Stripe Checkout for a résumé or a subscription; the signed webhook).",
        )
        .environment(&[
            ("STRIPE_SECRET_KEY", "!Ref CVBuilderStripeSecretKey"),
            ("STRIPE_WEBHOOK_SECRET", "!Ref CVBuilderStripeWebhookSecret"),
        ]),    ],
    jobs: &[],
    live: None,
};
