//! CV Builder's roles: its users, and staff (Django's `is_staff`, made with the admin
//! command). No documented route needs staff; the role is kept for operators.

web::choice! {
    pub enum Role {
        User = "user",
        Admin = "admin",
    }
}
