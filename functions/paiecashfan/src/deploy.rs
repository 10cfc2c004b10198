//! How PaieCashFan's route groups run as Lambda functions in `template.yaml`
//! (`web::routes::deploy`): `cargo regenerate` writes the functions from this and the route
//! table.

use web::routes::deploy::{Deployment, Function, LiveFunction};

/// The template's functions of every route group.
pub const DEPLOYMENT: Deployment = Deployment {
    prefix: "PaieCashFan",
    policies: &["PaieCashFanTableAccessPolicy"],
    environment: &[
        ("TABLE_NAME", "!Ref PaieCashFanTable"),
        ("TICKET_SIGNING_SECRET", "!Ref PaieCashFanTicketSigningSecret"),
        ("JWT_SECRET", "!Ref PaieCashFanJwtSecret"),
        ("JWT_REFRESH_SECRET", "!Ref PaieCashFanRefreshSecret"),
        ("RATE_LIMIT_MAX", "!Ref PaieCashFanRateLimitMax"),
        (
            "RATE_LIMIT_WINDOW_SECS",
            "!Ref PaieCashFanRateLimitWindowSecs",
        ),
        ("LOGIN_RATE_LIMIT_MAX", "!Ref PaieCashFanLoginRateLimitMax"),
        (
            "LOGIN_RATE_LIMIT_WINDOW_SECS",
            "!Ref PaieCashFanLoginRateLimitWindowSecs",
        ),
        (
            "CORS_ORIGINS",
            r#"!Join [",", !Ref PaieCashFanAllowedOrigins]"#,
        ),
    ],
    functions: &[
        Function::new("auth", "PaieCashFan /api/auth (register, login, refresh)."),
        Function::new(
            "wallet",
            "PaieCashFan /api/wallet (balance, history, transfers between fans).",
        ),
        Function::new(
            "esim",
            "PaieCashFan /api/esim (data plans, activation paid from the wallet, the fan's eSIMs).",
        )
        .environment(&[("ESIM_SMDP_ADDRESS", "!Ref PaieCashFanSmdpAddress")]),
        Function::new(
            "shop",
            "PaieCashFan /api/shop (the clubs' products with their stock, the cart, the checkout paid from the wallet).",
        ),
        Function::new(
            "tickets",
            "PaieCashFan /api/tickets (events, purchases paid from the wallet, signed QR codes, the gate, refunds).",
        ),
        Function::new(
            "social",
            "PaieCashFan /api/social (messages between fans, conversations, the club feed).",
        ),
        Function::new(
            "ai",
            "PaieCashFan /api/ai (recommendations, insights and predictions computed from the fan's ledger, purchases and club).",
        ),
        Function::new("system", "PaieCashFan /api/health and /api/stats."),
        // The one function with Stripe's client (paiecashfan-payments).
        Function::new(
            "deposits",
            "PaieCashFan POST /api/wallet/deposit (a Stripe PaymentIntent in euros) and the Stripe webhook that credits it.",
        )
        .environment(&[
            ("STRIPE_SECRET_KEY", "!Ref PaieCashFanStripeSecretKey"),
            ("STRIPE_WEBHOOK_SECRET", "!Ref PaieCashFanStripeWebhookSecret"),
        ]),
    ],
    jobs: &[],
    live: Some(LiveFunction {
        description: "PaieCashFan live messages (a message sent reaches the other participants' open connections).",
        binary: "paiecashfan-live",
        senders: &["social"],
    }),
};
