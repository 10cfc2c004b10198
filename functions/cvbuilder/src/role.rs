//! CV Builder's roles: its users, and staff (Django's `is_staff`, made with the admin
//! command). No documented route needs staff; the role is kept for operators.

use web::validate::Choice;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    User,
    Admin,
}

impl Role {
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Admin => "admin",
        }
    }

    /// Every role by name, least trusted first (the registry's order).
    pub const NAMES: &'static [&'static str] = &[Role::User.as_str(), Role::Admin.as_str()];
}

impl Choice for Role {
    const ALL: &'static [Self] = &[Role::User, Role::Admin];

    fn as_str(self) -> &'static str {
        Role::as_str(self)
    }
}
