//! Lumira's roles. A client holds a sanctuaire token (read-only, its own readings); experts
//! review generated readings; admins run the shop. Stored and carried in tokens by name.

web::choice! {
    pub enum Role {
        Client = "client",
        Expert = "expert",
        Admin = "admin",
    }
}

impl Role {
    /// The roles of staff accounts, which sign in with an email and a password.
    pub const STAFF: &'static [&'static str] = &[Role::Expert.as_str(), Role::Admin.as_str()];

    /// The role of the routes the document marks "Token JWT requis".
    pub const ADMIN: &'static [&'static str] = &[Role::Admin.as_str()];

    /// The client's own routes (the sanctuaire).
    pub const CLIENT: &'static [&'static str] = &[Role::Client.as_str()];

    pub fn is_staff(self) -> bool {
        matches!(self, Role::Expert | Role::Admin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use web::validate::Choice;

    #[test]
    fn names_and_parsing_agree() {
        assert_eq!(Role::NAMES, ["client", "expert", "admin"]);
        assert_eq!(<Role as Choice>::names(), Role::NAMES);
        assert_eq!(Role::parse("expert"), Some(Role::Expert));
        assert_eq!(Role::parse("Admin"), None);
        assert!(Role::Admin.is_staff() && !Role::Client.is_staff());
    }
}
