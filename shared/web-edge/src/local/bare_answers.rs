//! hyper answers a request it cannot parse by itself (400 for a bad request line or header,
//! 414, 431), before any service runs, with an empty body. [`Styled`] sits between hyper and
//! the socket and gives those answers the product's error body: every answer of the local
//! server is in the product's words.

use super::kind_of;
use axum::http::StatusCode;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use web_core::error::{ApiError, ErrorStyle};

/// A connection's stream whose bodiless parse-error answers are rewritten.
pub(super) struct Styled<T> {
    inner: T,
    style: &'static dyn ErrorStyle,
    /// A rewritten answer not yet all written.
    pending: Vec<u8>,
}

impl<T> Styled<T> {
    pub(super) fn new(inner: T, style: &'static dyn ErrorStyle) -> Self {
        Styled {
            inner,
            style,
            pending: Vec::new(),
        }
    }
}

impl<T: AsyncWrite + Unpin> Styled<T> {
    fn write_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while !self.pending.is_empty() {
            let written = ready!(Pin::new(&mut self.inner).poll_write(cx, &self.pending))?;
            if written == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.pending.drain(..written);
        }
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Styled<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Styled<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        ready!(self.write_pending(cx))?;
        if let Some(answer) = rendered(buf, self.style) {
            self.pending = answer;
            // Taken whole: what is left is written by the next write, flush or shutdown.
            let _ = self.write_pending(cx)?;
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.write_pending(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.write_pending(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// `written` with the product's error body, when it is one of hyper's own answers: a whole
/// response head of 400, 414 or 431 with `content-length: 0` (the service's errors always
/// have a body, see `bodiless_errors`).
fn rendered(written: &[u8], style: &'static dyn ErrorStyle) -> Option<Vec<u8>> {
    const EMPTY: &str = "\r\ncontent-length: 0\r\n";
    let head = std::str::from_utf8(written).ok()?;
    let status: u16 = head.strip_prefix("HTTP/1.1 ")?.get(..3)?.parse().ok()?;
    let status = StatusCode::from_u16(status).ok()?;
    let own = [
        StatusCode::BAD_REQUEST,
        StatusCode::URI_TOO_LONG,
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
    ];
    if !own.contains(&status) || !head.ends_with("\r\n\r\n") || !head.contains(EMPTY) {
        return None;
    }
    let (_, body) = style.render(&ApiError::of(kind_of(status)));
    let body = body.to_string();
    let head = head.replacen(
        EMPTY,
        &format!(
            "\r\ncontent-type: application/json\r\ncontent-length: {}\r\n",
            body.len()
        ),
        1,
    );
    Some([head.into_bytes(), body.into_bytes()].concat())
}

#[cfg(test)]
mod tests {
    use super::*;
    use web_core::error::styles::ErrorDetails;

    #[test]
    fn only_hypers_bodiless_parse_errors_are_rewritten() {
        let bare = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\ndate: x\r\n\r\n";
        let answer = String::from_utf8(rendered(bare, &ErrorDetails).unwrap()).unwrap();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{head}");
        assert!(head.contains("content-type: application/json"), "{head}");
        assert!(
            head.contains(&format!("content-length: {}", body.len())),
            "{head}"
        );
        let body: serde_json::Value = serde_json::from_str(body).unwrap();
        assert!(body["error"].is_string(), "{body}");
        for kept in [
            &b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"[..],
            b"HTTP/1.1 400 Bad Request\r\ncontent-length: 12\r\n\r\n",
            b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n{}",
            b"{\"error\": \"x\"}",
        ] {
            assert!(rendered(kept, &ErrorDetails).is_none());
        }
    }
}
