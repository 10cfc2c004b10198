//! What the warm benchmark reads with: each route's path filled from the demo data where the
//! product's load plan gives a sample (`crate::samples`), else with `1`; and each
//! protected route's token, the demo admin's where the route admits the admin, else a caller
//! of the most trusted role it admits, made by the local server (`--harness-callers`).

use crate::BenchResult;
use crate::load::server::LocalServer;
use crate::load::{Target, client, send};
use crate::products::Product;
use crate::samples::PathSamples;
use reqwest::Method;
use serde_json::Value;
use std::collections::BTreeMap;
use web::routes::Route;

pub struct Readers<'a> {
    product: &'a Product,
    origin: &'a str,
    admin_token: &'a str,
    /// Where each route is read.
    paths: PathSamples,
    /// Role → its caller's token.
    tokens: BTreeMap<&'static str, String>,
}

impl<'a> Readers<'a> {
    /// Reads the product's samples and makes a caller of each role a read needs, once the
    /// writes have run (they may make what the samples name).
    pub async fn prepare(
        product: &'a Product,
        server: &LocalServer,
        origin: &'a str,
        admin_token: &'a str,
    ) -> BenchResult<Readers<'a>> {
        let mut readers = Readers {
            product,
            origin,
            admin_token,
            paths: PathSamples::default(),
            tokens: BTreeMap::new(),
        };
        readers.paths = PathSamples::read(product, |path| readers.get(path, admin_token)).await?;
        let top = product.def.roles().last().copied();
        for route in product.routes.iter().filter(|r| r.method == "GET") {
            let Some(role) = readers.role_for(route) else {
                continue;
            };
            if Some(role) == top || readers.tokens.contains_key(role) {
                continue;
            }
            let url = server
                .caller_url(product.name, role)
                .ok_or_else(|| format!("{}: local-api printed no {role} caller", product.name))?;
            let made = Target {
                method: Method::POST,
                url: url.to_string(),
                token: None,
                body: Some("{}".into()),
                label: format!("POST {url}"),
            };
            let (status, text) = send(&client()?, &made).await?;
            let answer: Value = serde_json::from_str(&text).unwrap_or_default();
            let token = answer["accessToken"]
                .as_str()
                .ok_or_else(|| format!("{}: no {role} caller: {status} {text}", product.name))?;
            readers.tokens.insert(role, token.to_string());
        }
        Ok(readers)
    }

    /// The request that reads `route`.
    pub fn target(&self, route: &Route) -> Target {
        let path = self.paths.uri(route);
        // Callers were made only for roles below the admin's (`prepare`).
        let token = self.role_for(route).map(|role| {
            self.tokens
                .get(role)
                .cloned()
                .unwrap_or_else(|| self.admin_token.to_string())
        });
        Target {
            method: Method::GET,
            url: format!("{}{path}", self.origin),
            token,
            body: None,
            label: format!("GET {path}"),
        }
    }

    /// The most trusted role `route` admits; none for a public route.
    fn role_for(&self, route: &Route) -> Option<&'static str> {
        if route.access.is_public() {
            return None;
        }
        let roles = self.product.def.roles();
        // A route no role is admitted to is read as the admin, and refused.
        roles
            .iter()
            .rev()
            .find(|role| route.access.admits(role))
            .or(roles.last())
            .copied()
    }

    async fn get(&self, path: String, token: &str) -> BenchResult<(u16, String)> {
        let target = Target {
            method: Method::GET,
            url: format!("{}{path}", self.origin),
            token: Some(token.to_string()),
            body: None,
            label: format!("GET {path}"),
        };
        Ok(send(&client()?, &target).await?)
    }
}
