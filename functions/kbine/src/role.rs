//! Kbine's roles. Stored and carried in tokens by name; parsed at the edges (the admin
//! command, the user list's filter) so that an unknown name never reaches the store.

web::choice! {
    #[schema(description = "Rôle d'un utilisateur.", example = json!("client"))]
    pub enum Role {
        Client = "client",
        Staff = "staff",
        Admin = "admin",
    }
}

impl Role {
    /// The roles that see and manage every order.
    pub const STAFF: &'static [&'static str] = &[Role::Staff.as_str(), Role::Admin.as_str()];

    /// The role that manages the catalogue, users and every payment.
    pub const ADMIN: &'static [&'static str] = &[Role::Admin.as_str()];

    /// Whether an account of this role needs its password beside its phone number to log
    /// in: a phone number is no secret (issue 9), and these roles see every client's data.
    pub fn signs_in_with_password(self) -> bool {
        matches!(self, Role::Staff | Role::Admin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use web::validate::Choice;

    #[test]
    fn names_and_parsing_agree() {
        assert_eq!(Role::NAMES, ["client", "staff", "admin"]);
        assert_eq!(<Role as Choice>::names(), Role::NAMES);
        assert_eq!(Role::parse("staff"), Some(Role::Staff));
        assert_eq!(Role::parse("Admin"), None);
        assert!(Role::STAFF.contains(&"admin") && !Role::STAFF.contains(&"client"));
    }
}
