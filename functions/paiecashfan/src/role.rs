//! PaieCashFan's roles: fans, the staff who scan tickets at a stadium's gates, and the
//! admins who run the platform. Stored and carried in tokens by name.

web::choice! {
    #[schema(description = "Rôle d'un compte.", example = json!("fan"))]
    pub enum Role {
        Fan = "fan",
        Gate = "gate",
        Admin = "admin",
    }
}

impl Role {
    /// The roles that scan tickets at the gates.
    pub const GATE: &'static [&'static str] = &[Role::Gate.as_str(), Role::Admin.as_str()];

    /// The role that refunds tickets.
    pub const ADMIN: &'static [&'static str] = &[Role::Admin.as_str()];
}

#[cfg(test)]
mod tests {
    use super::*;
    use web::validate::Choice;

    #[test]
    fn names_and_parsing_agree() {
        assert_eq!(Role::NAMES, ["fan", "gate", "admin"]);
        assert_eq!(<Role as Choice>::names(), Role::NAMES);
        assert_eq!(Role::parse("gate"), Some(Role::Gate));
        assert!(Role::GATE.contains(&"admin") && !Role::GATE.contains(&"fan"));
    }
}
