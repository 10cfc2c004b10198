use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    /// A condition did not hold; nothing was written. In a transaction, `op` is the index of
    /// the operation whose condition failed and `label` its name, when the transaction named
    /// its operations ([`crate::Store::transact_named`]).
    #[error("condition check failed (operation {op:?}{})", label.map(|l| format!(", {l}")).unwrap_or_default())]
    ConditionFailed {
        op: Option<usize>,
        label: Option<&'static str>,
    },
    /// A transaction lost a race with another write to one of its items; nothing was written
    /// and the caller may retry.
    #[error("transaction conflict")]
    Conflict,
    /// The cursor was not produced by this store for this query.
    #[error("invalid cursor")]
    InvalidCursor,
    /// The request breaks a limit of the model (item size, transaction size, empty key...).
    #[error("invalid request: {0}")]
    Invalid(String),
    /// The store cannot be reached or is throttling: the request may succeed later.
    #[error("store unavailable: {0}")]
    Unavailable(String),
    #[error("store failure: {0}")]
    Internal(String),
}

impl StoreError {
    pub fn is_condition_failed(&self) -> bool {
        matches!(self, StoreError::ConditionFailed { .. })
    }

    /// True when the condition of transaction operation `index` failed.
    pub fn failed_op(&self) -> Option<usize> {
        match self {
            StoreError::ConditionFailed { op, .. } => *op,
            _ => None,
        }
    }

    /// True when the condition of the operation named `label` failed.
    pub fn failed(&self, label: &str) -> bool {
        matches!(self, StoreError::ConditionFailed { label: Some(l), .. } if *l == label)
    }
}
