//! An S3 server on 127.0.0.1 for tests and benchmarks: s3s-fs over a temporary folder, with
//! one bucket and one access key, checking SigV4 signatures as S3 does (a tampered presigned
//! URL is refused). It serves until dropped.

use crate::BlobError;
use hyper_util::rt::TokioIo;
use s3s::auth::SimpleAuth;
use s3s::service::S3ServiceBuilder;
use std::net::SocketAddr;
use tokio::task::JoinHandle;

pub struct S3Server {
    pub addr: SocketAddr,
    dir: tempfile::TempDir,
    accept: JoinHandle<()>,
}

impl S3Server {
    /// Starts a server holding the empty `bucket`, for the key `access`/`secret`.
    pub async fn start(bucket: &str, access: &str, secret: &str) -> Result<S3Server, BlobError> {
        let failed = |e: std::io::Error| BlobError::Config(format!("S3 test server: {e}"));
        let dir = tempfile::tempdir().map_err(failed)?;
        std::fs::create_dir(dir.path().join(bucket)).map_err(failed)?;
        let fs = s3s_fs::FileSystem::new(dir.path())
            .map_err(|e| BlobError::Config(format!("S3 test server: {e:?}")))?;
        let service = {
            let mut builder = S3ServiceBuilder::new(fs);
            builder.set_auth(SimpleAuth::from_single(access, secret));
            builder.build()
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(failed)?;
        let addr = listener.local_addr().map_err(failed)?;
        let accept = tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    continue;
                };
                let service = service.clone();
                tokio::spawn(async move {
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(socket), service)
                        .await;
                });
            }
        });
        Ok(S3Server { addr, dir, accept })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The folder behind the server.
    pub fn root(&self) -> &std::path::Path {
        self.dir.path()
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        self.accept.abort();
    }
}
