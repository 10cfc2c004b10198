//! A product's route table: every (method, path) it serves and who may call it. The
//! OpenAPI checks, the authorisation matrix and the benchmarks are generated from it, so a
//! new product is tested and measured by declaring its table, with no new harness code.

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No token needed.
    Public,
    /// Any valid access token, whatever its role (what the caller may see of other users'
    /// data is the handler's business, and the matrix checks it with foreign resources).
    AnyUser,
    /// Only tokens whose role is one of these; every other role gets 403.
    Roles(&'static [&'static str]),
}

impl Access {
    pub fn is_public(self) -> bool {
        self == Access::Public
    }

    /// Whether a caller of `role` gets past the role check.
    pub fn admits(self, role: &str) -> bool {
        match self {
            Access::Public | Access::AnyUser => true,
            Access::Roles(roles) => roles.contains(&role),
        }
    }
}

/// One served route, in OpenAPI path syntax (`/api/plans/{id}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
}

impl Route {
    pub const fn new(method: &'static str, path: &'static str, access: Access) -> Self {
        Route {
            method,
            path,
            access,
        }
    }

    /// Whether the method changes state (everything but GET and HEAD).
    pub fn writes(&self) -> bool {
        !matches!(self.method, "GET" | "HEAD")
    }

    /// The path with every `{param}` replaced by `value`.
    pub fn concrete_path(&self, value: &str) -> String {
        let mut out = String::with_capacity(self.path.len());
        let mut rest = self.path;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            out.push_str(&rest[..open]);
            out.push_str(value);
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
        out
    }

    pub fn has_path_params(&self) -> bool {
        self.path.contains('{')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concrete_path_fills_every_parameter() {
        let route = Route::new("PUT", "/api/orders/{id}/items/{item}", Access::AnyUser);
        assert_eq!(route.concrete_path("7"), "/api/orders/7/items/7");
        let plain = Route::new("GET", "/api/plans", Access::Public);
        assert_eq!(plain.concrete_path("7"), "/api/plans");
        assert!(!plain.has_path_params() && !plain.writes());
    }

    #[test]
    fn roles_admit_only_their_members() {
        let staff = Access::Roles(&["staff", "admin"]);
        assert!(staff.admits("admin") && staff.admits("staff") && !staff.admits("client"));
        assert!(Access::AnyUser.admits("client") && Access::Public.is_public());
    }
}
