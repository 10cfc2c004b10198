/// What can go wrong with a blob operation.
#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    /// The key breaks the rules of [`validate_key`](crate::validate_key); nothing was done.
    #[error("invalid blob key: {0}")]
    InvalidKey(String),
    /// Another argument is out of range (an empty content type, a presign expiry over 7 days).
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// The adapter was configured wrongly (a bad base URL, a short signing secret).
    #[error("blob store configuration: {0}")]
    Config(String),
    /// The backend could not be reached or asked to slow down (network, timeout, 5xx,
    /// throttling): the operation may succeed if retried later.
    #[error("blob store unavailable: {0}")]
    Unavailable(String),
    /// Anything else: a refused request, a full disk, a corrupt file.
    #[error("blob store error: {0}")]
    Internal(String),
}
