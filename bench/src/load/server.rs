//! The real local server (`target/release/local-api`) as a child process: started on free
//! ports with a throw-away store, found through the URLs it prints, stopped by SIGTERM so it
//! removes its store.

use crate::BenchResult;
use crate::products::Product;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long the server may take to print every product's URL.
const READY_WITHIN: Duration = Duration::from_secs(30);
/// How long it may take to stop after SIGTERM before it is killed.
const STOP_WITHIN: Duration = Duration::from_secs(10);

pub struct LocalServer {
    child: Child,
    /// `(product name, origin)`, e.g. `("kbine", "http://127.0.0.1:41234")`.
    pub origins: Vec<(&'static str, String)>,
    /// `(product name, body)` of the demo admin's login, as the server prints it.
    pub admin_logins: Vec<(&'static str, String)>,
    /// `(product name, role, URL)` where a caller of each role is made
    /// (`--harness-callers`).
    pub callers: Vec<(&'static str, String, String)>,
}

/// `http://host:port` of a URL such as `http://host:port/api`.
fn origin(url: &str) -> Option<String> {
    let rest = url.strip_prefix("http://")?;
    let host = rest.split('/').next().filter(|h| !h.is_empty())?;
    Some(format!("http://{host}"))
}

impl LocalServer {
    /// Starts `binary serve --ephemeral --free-ports --harness-callers` (on 127.0.0.1 only,
    /// which the callers route needs) with `env` added, and waits
    /// until it has printed the URL of every product in `products`. Everything it prints
    /// goes to `log` (its output is drained for its whole life, so it never blocks on a
    /// full pipe).
    pub fn start(
        binary: &Path,
        products: &[Product],
        env: &[(String, String)],
        log: &Path,
    ) -> BenchResult<LocalServer> {
        let mut command = Command::new(binary);
        command
            .arg("serve")
            .arg("--ephemeral")
            .arg("--free-ports")
            .arg("--harness-callers");
        let log_file = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
        let mut child = command
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log_file.try_clone()?)
            .spawn()
            .map_err(|e| {
                format!(
                    "{}: {e} (build it: cargo build --release -p local-api)",
                    binary.display()
                )
            })?;
        let stdout = child.stdout.take().ok_or("local-api: no stdout")?;
        let (lines, found) = mpsc::channel::<String>();
        std::thread::spawn(move || {
            let mut log_file = log_file;
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = writeln!(log_file, "{line}");
                // Once the harness stops listening, lines only go to the log.
                let _ = lines.send(line);
            }
        });
        let mut server = LocalServer {
            child,
            origins: Vec::new(),
            admin_logins: Vec::new(),
            callers: Vec::new(),
        };
        let deadline = Instant::now() + READY_WITHIN;
        // Everything up to the `Ready:` line the server prints last.
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = found.recv_timeout(left).map_err(|_| {
                format!(
                    "local-api printed no URL for every product within {READY_WITHIN:?} (see {})",
                    log.display()
                )
            })?;
            if line.starts_with("Ready:") {
                break;
            }
            for product in products {
                if let Some(url) = line.strip_prefix(product.local_api_banner.as_str())
                    && let Some(origin) = origin(url.trim())
                    && !server.origins.iter().any(|(name, _)| *name == product.name)
                {
                    server.origins.push((product.name, origin));
                }
                // `<Product> admin login: METHOD URL BODY`, the body one compact JSON word.
                if let Some(request) = line.strip_prefix(product.admin_login_banner.as_str())
                    && let Some(body) = request.split_whitespace().nth(2)
                {
                    server.admin_logins.push((product.name, body.to_string()));
                }
                // `<Product> caller login (ROLE): POST URL {}`.
                if let Some(rest) = line.strip_prefix(product.caller_banner.as_str())
                    && let Some((role, request)) = rest.split_once("): ")
                    && let Some(url) = request.split_whitespace().nth(1)
                {
                    let caller = (product.name, role.to_string(), url.to_string());
                    server.callers.push(caller);
                }
            }
        }
        if server.origins.len() < products.len() {
            return Err(format!(
                "local-api did not print every product's URL (see {})",
                log.display()
            )
            .into());
        }
        Ok(server)
    }

    pub fn admin_login_body(&self, product: &str) -> Option<&str> {
        self.admin_logins
            .iter()
            .find(|(name, _)| *name == product)
            .map(|(_, body)| body.as_str())
    }

    /// Where a caller of `role` of `product` is made.
    pub fn caller_url(&self, product: &str, role: &str) -> Option<&str> {
        self.callers
            .iter()
            .find(|(name, r, _)| *name == product && r == role)
            .map(|(_, _, url)| url.as_str())
    }

    pub fn origin(&self, product: &str) -> Option<&str> {
        self.origins
            .iter()
            .find(|(name, _)| *name == product)
            .map(|(_, origin)| origin.as_str())
    }

    /// Stops the server (also done when it is dropped, so an early error stops it too).
    pub fn stop(self) {}

    /// SIGTERM (the server removes its throw-away store), then a kill if it lingers.
    fn terminate(&mut self) {
        let terminated = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status()
            .is_ok_and(|s| s.success());
        let deadline = Instant::now() + STOP_WITHIN;
        while terminated && Instant::now() < deadline {
            match self.child.try_wait() {
                Ok(Some(_)) | Err(_) => return,
                // Polled, not waited on: a server that ignores SIGTERM must not hang us.
                Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        self.terminate();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_drop_the_path() {
        assert_eq!(
            origin("http://127.0.0.1:4000/api").as_deref(),
            Some("http://127.0.0.1:4000")
        );
        assert_eq!(
            origin("http://127.0.0.1:4000").as_deref(),
            Some("http://127.0.0.1:4000")
        );
        assert_eq!(origin("ftp://x"), None);
    }
}
