//! The marketplace's roles: clients who look for services, providers who offer them (a
//! client becomes one when an admin approves its application), and the admins of
//! `marketplace-admin.md`.

web::choice! {
    pub enum Role {
        Client = "client",
        Provider = "provider",
        Admin = "admin",
    }
}

impl Role {
    /// The admin API's routes ("Token JWT avec rôle `admin`").
    pub const ADMIN: &'static [&'static str] = &[Role::Admin.as_str()];

    /// The members: clients and providers (a review).
    pub const MEMBERS: &'static [&'static str] = &[Role::Client.as_str(), Role::Provider.as_str()];

    /// A provider's own routes (its contact requests).
    pub const PROVIDER: &'static [&'static str] = &[Role::Provider.as_str()];

    /// A client's own routes (applying to become a provider).
    pub const CLIENT: &'static [&'static str] = &[Role::Client.as_str()];
}
