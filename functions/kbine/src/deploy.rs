//! How Kbine's route groups run as Lambda functions in `template.yaml`
//! (`web::routes::deploy`): `cargo regenerate` writes the functions from this and the route
//! table.

use web::routes::deploy::{Deployment, Function, LiveFunction};

/// The template's functions of every route group.
pub const DEPLOYMENT: Deployment = Deployment {
    prefix: "Kbine",
    policies: &["KbineTableAccessPolicy"],
    environment: &[
        ("TABLE_NAME", "!Ref KbineTable"),
        ("JWT_SECRET", "!Ref KbineJwtSecret"),
        ("JWT_REFRESH_SECRET", "!Ref KbineRefreshSecret"),
        ("RATE_LIMIT_MAX", "!Ref KbineRateLimitMax"),
        ("RATE_LIMIT_WINDOW_SECS", "!Ref KbineRateLimitWindowSecs"),
        ("LOGIN_RATE_LIMIT_MAX", "!Ref KbineLoginRateLimitMax"),
        (
            "LOGIN_RATE_LIMIT_WINDOW_SECS",
            "!Ref KbineLoginRateLimitWindowSecs",
        ),
        ("CORS_ORIGINS", r#"!Join [",", !Ref KbineAllowedOrigins]"#),
    ],
    functions: &[
        // One function per documented route group. Each serves its group's whole path space
        // (`/api/<group>` and `/api/<group>/{proxy+}`), so routing, 404 and 405 answers come from the
        // group's axum router, exactly as in the local server. A product's functions share one
        // binary (built once by sam build); each one's Handler names the group it serves.
        Function::new("auth", "Kbine /api/auth (login, refresh, logout).")
            .policies(&["KbineSmsPolicy"])
            .environment(&[
                ("LOGIN_MODE", "!Ref KbineLoginMode"),
                ("SMS_SENDER_ID", "!Ref KbineSmsSenderId"),
            ]),
        Function::new("users", "Kbine /api/users (profile, admin list)."),
        Function::new("operators", "Kbine /api/operators."),
        Function::new("plans", "Kbine /api/plans."),
        Function::new(
            "orders",
            "Kbine /api/orders (orders, status changes, assignment).",
        ),
        Function::new(
            "payments",
            "Kbine /api/payments (payments, methods, statuses).",
        ),
    ],
    jobs: &[],
    live: Some(LiveFunction {
        description: "Kbine Socket.IO (new-order for the admin room, order-status-update for an order's client).",
        binary: "kbine-live",
        senders: &["orders", "payments"],
    }),
};
