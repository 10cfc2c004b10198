//! Path parameters taken from the data (a product's `LoadPlan::samples`): what the warm reads
//! and the cold-start probes put in a route's path instead of `1`, so that they read
//! something their caller may see.

use crate::BenchResult;
use crate::products::Product;
use std::future::Future;
use web::routes::{Route, fill_params};

/// Each sampled route's path (OpenAPI syntax) and the path it is requested at.
#[derive(Debug, Default)]
pub struct PathSamples {
    paths: Vec<(&'static str, String)>,
}

impl PathSamples {
    /// Reads the product's samples in order, each by one GET (`get` answers a path's status
    /// and body, with the caller's token): a sample's `from` may be a route sampled before
    /// it, which is then read where that sample put it.
    pub async fn read<F, Fut>(product: &Product, mut get: F) -> BenchResult<PathSamples>
    where
        F: FnMut(String) -> Fut,
        Fut: Future<Output = BenchResult<(u16, String)>>,
    {
        let mut samples = PathSamples::default();
        for sample in product.samples {
            let from = match product.routes.iter().find(|r| r.path == sample.from) {
                Some(route) => samples.uri(route),
                None => sample.from.to_string(),
            };
            let (status, text) = get(from.clone()).await?;
            let answer: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
            let value = sample.value_in(&answer).ok_or_else(|| {
                format!(
                    "{}: sample of {}: GET {from} answered {status} with nothing at {}",
                    product.name, sample.route, sample.pointer
                )
            })?;
            samples
                .paths
                .push((sample.route, fill_params(sample.route, &value)));
        }
        Ok(samples)
    }

    /// Where `route` is requested: at its sample, else under the longest sampled route its
    /// path extends (`/api/resumes/{id}/export_pdf/` under `/api/resumes/{id}/`), with any
    /// other parameter `1`.
    pub fn path(&self, route: &Route) -> String {
        self.paths
            .iter()
            .filter(|(sampled, _)| extends(route.path, sampled))
            .max_by_key(|(sampled, _)| sampled.len())
            .map(|(sampled, concrete)| {
                format!(
                    "{concrete}{}",
                    fill_params(&route.path[sampled.len()..], "1")
                )
            })
            .unwrap_or_else(|| route.concrete_path("1"))
    }

    /// [`PathSamples::path`] with the route's example query.
    pub fn uri(&self, route: &Route) -> String {
        let path = self.path(route);
        match route.example_query {
            "" => path,
            query => format!("{path}?{query}"),
        }
    }
}

/// Whether `path` is `sampled` or continues it past a `/`.
fn extends(path: &str, sampled: &str) -> bool {
    path.strip_prefix(sampled)
        .is_some_and(|rest| rest.is_empty() || sampled.ends_with('/') || rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use web::routes::Access;

    fn samples(paths: &[(&'static str, &str)]) -> PathSamples {
        PathSamples {
            paths: paths.iter().map(|(p, c)| (*p, c.to_string())).collect(),
        }
    }

    #[test]
    fn a_route_under_a_sampled_one_shares_its_parameter() {
        let taken = samples(&[("/api/resumes/{id}/", "/api/resumes/42/")]);
        let export = Route::new("POST", "/api/resumes/{id}/export_pdf/", Access::Optional);
        assert_eq!(taken.uri(&export), "/api/resumes/42/export_pdf/");
        let detail = Route::new("GET", "/api/resumes/{id}/", Access::Optional);
        assert_eq!(taken.uri(&detail), "/api/resumes/42/");
    }

    #[test]
    fn the_longest_sample_wins_and_others_get_one() {
        let taken = samples(&[
            ("/api/users/{id}", "/api/users/u7"),
            ("/api/users/{id}/orders/{order}", "/api/users/u7/orders/o9"),
        ]);
        let order = Route::new("GET", "/api/users/{id}/orders/{order}", Access::AnyUser);
        assert_eq!(taken.uri(&order), "/api/users/u7/orders/o9");
        let item = Route::new("GET", "/api/users/{id}/items/{item}", Access::AnyUser);
        assert_eq!(taken.uri(&item), "/api/users/u7/items/1");
        // `/api/users/{id}x` does not continue `/api/users/{id}` past a `/`.
        let other =
            Route::new("GET", "/api/usersx/{id}", Access::AnyUser).with_example_query("level=2");
        assert_eq!(taken.uri(&other), "/api/usersx/1?level=2");
    }
}
