//! How the marketplace's route groups run as Lambda functions in `template.yaml`
//! (`web::routes::deploy`): `cargo regenerate` writes the functions from this and the route
//! table.

use web::routes::deploy::{Deployment, Function, Job};

/// The template's functions of every route group.
pub const DEPLOYMENT: Deployment = Deployment {
    prefix: "Marketplace",
    policies: &[
        "MarketplaceTableAccessPolicy",
        "MarketplaceFilesAccessPolicy",
    ],
    environment: &[
        ("TABLE_NAME", "!Ref MarketplaceTable"),
        ("BUCKET_NAME", "!Ref FilesBucket"),
        ("BLOB_PREFIX", "marketplace"),
        ("JWT_SECRET", "!Ref MarketplaceJwtSecret"),
        ("JWT_REFRESH_SECRET", "!Ref MarketplaceRefreshSecret"),
        ("RATE_LIMIT_MAX", "!Ref MarketplaceRateLimitMax"),
        (
            "RATE_LIMIT_WINDOW_SECS",
            "!Ref MarketplaceRateLimitWindowSecs",
        ),
        ("LOGIN_RATE_LIMIT_MAX", "!Ref MarketplaceLoginRateLimitMax"),
        (
            "LOGIN_RATE_LIMIT_WINDOW_SECS",
            "!Ref MarketplaceLoginRateLimitWindowSecs",
        ),
        (
            "CORS_ORIGINS",
            r#"!Join [",", !Ref MarketplaceAllowedOrigins]"#,
        ),
    ],
    functions: &[
        Function::new(
            "auth",
            "Marketplace /api/auth (register, login, refresh, logout, me).",
        )
        .environment(&[
            (
                "LOGIN_RATE_LIMIT_BAN_AFTER",
                "!Ref MarketplaceLoginBanAfter",
            ),
            ("LOGIN_RATE_LIMIT_BAN_SECS", "!Ref MarketplaceLoginBanSecs"),
            ("MAIL_FROM", "!Ref MarketplaceMailFrom"),
        ])
        .policies(&["MarketplaceMailPolicy"]), // the welcome email
        Function::new(
            "providers",
            "Marketplace /api/providers (applications, the public list, providers' own).",
        )
        .environment(&[("MAIL_FROM", "!Ref MarketplaceMailFrom")])
        .policies(&["MarketplaceMailPolicy"]), // the application's receipt
        Function::new(
            "banners",
            "Marketplace /api/banners (the public list and the admin's banners with their images).",
        ),
        // The one function with Stripe's client (marketplace-payments).
        Function::new(
            "payments",
            "Marketplace /api/payments (offers, a provider's purchases by Stripe in XAF, the Stripe webhook).",
        )
        .environment(&[
            ("STRIPE_SECRET_KEY", "!Ref MarketplaceStripeSecretKey"),
            ("STRIPE_WEBHOOK_SECRET", "!Ref MarketplaceStripeWebhookSecret"),
        ]),
        // The report's function: the one with the PDF engine (marketplace-render).
        Function::new(
            "reports",
            "Marketplace GET /api/admin/export/report (the global report as a PDF with vector charts).",
        )
        .size(512, 15),
        Function::new("admin", "Marketplace /api/admin (the admin API).")
            .environment(&[("MAIL_FROM", "!Ref MarketplaceMailFrom")])
            .policies(&["MarketplaceMailPolicy"]), // decisions, verification, featuring, status
    ],
    jobs: &[Job {
        name: crate::jobs::EXPIRE_FEATURING,
        description: "Marketplace nightly job (00:30 in Douala) that ends the featurings and boosts that are over.",
        binary: "marketplace-jobs",
        schedule: crate::jobs::SCHEDULE,
        timezone: crate::jobs::TIMEZONE,
    }, Job {
        name: crate::jobs::FINISH_DELETIONS,
        description: "Marketplace job (every 15 minutes) that finishes the account deletions left pending.",
        binary: "marketplace-jobs",
        schedule: crate::jobs::EVERY_QUARTER_HOUR,
        timezone: "UTC",
    }],
    live: None,
};
