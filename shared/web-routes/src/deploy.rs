//! What `template.yaml` says of a product's route groups beyond their routes: each group is
//! one Lambda function, with its description, the policies and environment it gets, and its
//! size. `cargo regenerate` writes the functions from this and the route table (their
//! events come from the routes' paths); the rest of the template is written by hand.

/// A product's functions in the SAM template.
pub struct Deployment {
    /// The prefix of its resources' logical ids (`Kbine`: `KbineApi`, `KbineAuthFunction`).
    pub prefix: &'static str,
    /// The managed policies (resources of the template) every function of it gets.
    pub policies: &'static [&'static str],
    /// The environment every function of it gets: (variable, its value as YAML).
    pub environment: &'static [(&'static str, &'static str)],
    /// One per route group, in any order.
    pub functions: &'static [Function],
    /// Functions run on a schedule, not by requests.
    pub jobs: &'static [Job],
    /// Its WebSocket API, for a product with live events.
    pub live: Option<LiveFunction>,
}

/// A product's WebSocket API (API Gateway, `$connect`, `$disconnect`, `$default`) and the
/// function behind it, with `Handler: live` ([`LIVE_HANDLER`]): API Gateway invokes it, it
/// invokes itself once a connection opens, and a schedule runs it every minute (the
/// heartbeat). Its binary is its own (`kbine-live`): its runner links the Lambda SDK's
/// client, which no other function needs. The template's stage is [`LIVE_STAGE`].
pub struct LiveFunction {
    pub description: &'static str,
    /// The binary that serves it (its own).
    pub binary: &'static str,
    /// The route groups whose functions send events: they get the management API's URL
    /// (`LIVE_ENDPOINT`) and the right to post to connections.
    pub senders: &'static [&'static str],
}

/// The `Handler` of a product's WebSocket function: it serves no route group.
pub const LIVE_HANDLER: &str = "live";

/// The WebSocket API's stage: its URL's path (`wss://{api}.execute-api.{region}.amazonaws.com/live`).
pub const LIVE_STAGE: &str = "live";

/// A function that EventBridge Scheduler runs on a schedule: its binary serves no routes and
/// runs the job its `Handler` names ([`Job::name`]) once per invocation.
pub struct Job {
    /// The job's name: its `Handler`, and how the local server's `job` command names it.
    pub name: &'static str,
    pub description: &'static str,
    /// The binary that runs it.
    pub binary: &'static str,
    /// An EventBridge Scheduler expression (`cron(30 0 * * ? *)`).
    pub schedule: &'static str,
    /// The IANA time zone the expression is read in (`Africa/Douala`).
    pub timezone: &'static str,
}

/// One route group's function.
pub struct Function {
    pub group: &'static str,
    pub description: &'static str,
    /// Managed policies beyond the product's.
    pub policies: &'static [&'static str],
    /// Environment beyond the product's: (variable, its value as YAML).
    pub environment: &'static [(&'static str, &'static str)],
    /// Memory (MiB) and timeout (s), when the template's defaults are not enough.
    pub size: Option<(u32, u32)>,
}

impl Function {
    pub const fn new(group: &'static str, description: &'static str) -> Self {
        Function {
            group,
            description,
            policies: &[],
            environment: &[],
            size: None,
        }
    }

    pub const fn policies(mut self, policies: &'static [&'static str]) -> Self {
        self.policies = policies;
        self
    }

    pub const fn environment(
        mut self,
        environment: &'static [(&'static str, &'static str)],
    ) -> Self {
        self.environment = environment;
        self
    }

    pub const fn size(mut self, memory_mib: u32, timeout_secs: u32) -> Self {
        self.size = Some((memory_mib, timeout_secs));
        self
    }
}

impl Deployment {
    /// The function of `group`.
    pub fn function(&self, group: &str) -> Option<&Function> {
        self.functions.iter().find(|f| f.group == group)
    }

    /// The logical id of a job's function (`MarketplaceExpireFeaturingJob`).
    pub fn job_id(&self, job: &str) -> String {
        format!("{}{}Job", self.prefix, pascal_case(job))
    }

    /// The logical id of its WebSocket resources (`KbineLive`: `KbineLiveApi`, ...).
    pub fn live_id(&self) -> String {
        format!("{}Live", self.prefix)
    }

    /// The logical id of `group`'s function (`KbineAuthFunction`).
    pub fn function_id(&self, group: &str) -> String {
        format!("{}{}Function", self.prefix, pascal_case(group))
    }
}

/// `export_pdf` as `ExportPdf`: a word of a template's logical id.
pub fn pascal_case(name: &str) -> String {
    name.split(['_', '-'])
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect()
            })
        })
        .collect()
}
