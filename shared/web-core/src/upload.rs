//! Multipart forms with files (Lumira's photos, the marketplace's banners): every part read
//! within its limits, each file's type decided by its content (magic bytes), never by the
//! name or the type the client declares. Lambda takes at most 6 MB per synchronous request:
//! a route's body limit (`DefaultBodyLimit::max`) stays under it, and larger files go to the
//! blob store by presigned PUT.

use crate::ApiError;
use crate::error::{ErrorKind, Problem};
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use std::collections::BTreeMap;

/// The largest body a Lambda function can receive in one synchronous invocation, less what
/// API Gateway's event and base64 take: a route's limit stays at or under this.
pub const LAMBDA_MAX_UPLOAD_BYTES: usize = 4 * 1024 * 1024;

/// What a route accepts in its files.
#[derive(Debug, Clone, Copy)]
pub struct FileRules {
    /// Media types accepted, as their content shows them (`image/jpeg`).
    pub types: &'static [&'static str],
    pub max_bytes: usize,
}

/// The usual photo types: JPEG, PNG, WebP, HEIC (iPhones).
pub const PHOTOS: &[&str] = &["image/jpeg", "image/png", "image/webp", "image/heif"];

/// A file of a form, checked.
#[derive(Debug, Clone)]
pub struct UploadedFile {
    pub field: String,
    /// The name the client gave it (never used as a storage key).
    pub file_name: Option<String>,
    /// The type its content shows.
    pub content_type: &'static str,
    pub bytes: Bytes,
}

impl UploadedFile {
    /// The file name extension of its type, for a storage key (`jpg`).
    pub fn extension(&self) -> &'static str {
        match self.content_type {
            "image/jpeg" => "jpg",
            "image/png" => "png",
            "image/webp" => "webp",
            "image/heif" => "heic",
            "application/pdf" => "pdf",
            CSV => "csv",
            _ => "bin",
        }
    }
}

/// A whole form: text fields by name, and files.
#[derive(Debug, Clone, Default)]
pub struct Form {
    pub fields: BTreeMap<String, String>,
    pub files: Vec<UploadedFile>,
}

impl Form {
    pub fn file(&self, field: &str) -> Option<&UploadedFile> {
        self.files.iter().find(|f| f.field == field)
    }

    /// The text fields as a JSON body of strings, for the same field checks as a JSON
    /// request's (`validate::Fields`); a field left blank counts as absent, as a browser
    /// sends every input of a form, filled or not.
    pub fn text_body(&self) -> serde_json::Map<String, serde_json::Value> {
        self.fields
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect()
    }
}

/// A `multipart/form-data` body; its rejections are the product's errors.
pub struct Multipart(axum::extract::Multipart);

impl<S: Send + Sync> FromRequest<S> for Multipart {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Multipart::from_request(req, state)
            .await
            .map(Multipart)
            .map_err(|_| ApiError::problem(Problem::NotMultipart))
    }
}

fn multipart_error(e: &axum::extract::multipart::MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::of(ErrorKind::PayloadTooLarge)
    } else {
        ApiError::problem(Problem::NotMultipart)
    }
}

/// Plain text carries no signature: a route that takes it (`text/csv`) gets any body that is
/// UTF-8 without NUL bytes, a byte-order mark allowed.
pub const CSV: &str = "text/csv";

/// The type `bytes` show, if it is one of `accepted`. HEIC and HEIF count as `image/heif`.
pub fn detected_type(bytes: &[u8], accepted: &[&'static str]) -> Option<&'static str> {
    let Some(kind) = infer::get(bytes) else {
        let text = std::str::from_utf8(bytes).is_ok_and(|t| !t.contains('\0'));
        return accepted.iter().copied().find(|a| *a == CSV && text);
    };
    let mime = match kind.mime_type() {
        "image/heic" => "image/heif",
        other => other,
    };
    accepted.iter().copied().find(|a| *a == mime)
}

impl Multipart {
    /// Reads every part: text fields (at most 64 KiB each), and files for the fields `files`
    /// names, each checked against its rules. A file in a field not named is refused.
    pub async fn read(mut self, files: &[(&str, FileRules)]) -> Result<Form, ApiError> {
        const MAX_TEXT: usize = 64 * 1024;
        let mut form = Form::default();
        while let Some(mut field) = self.0.next_field().await.map_err(|e| multipart_error(&e))? {
            let name = field.name().unwrap_or_default().to_string();
            let file_name = field.file_name().map(str::to_string);
            let rules = files.iter().find(|(f, _)| *f == name).map(|(_, r)| *r);
            let limit = rules.map_or(MAX_TEXT, |r| r.max_bytes);
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(|e| multipart_error(&e))? {
                if bytes.len() + chunk.len() > limit {
                    return Err(match rules {
                        Some(rules) => ApiError::problem(Problem::FileTooLarge {
                            field: name,
                            max_bytes: rules.max_bytes,
                        }),
                        None => ApiError::of(ErrorKind::PayloadTooLarge),
                    });
                }
                bytes.extend_from_slice(&chunk);
            }
            match rules {
                Some(rules) => {
                    let content_type = detected_type(&bytes, rules.types).ok_or_else(|| {
                        ApiError::problem(Problem::UnsupportedFile {
                            field: name.clone(),
                        })
                    })?;
                    form.files.push(UploadedFile {
                        field: name,
                        file_name,
                        content_type,
                        bytes: Bytes::from(bytes),
                    });
                }
                None if file_name.is_some() => {
                    return Err(ApiError::problem(Problem::UnsupportedFile { field: name }));
                }
                None => {
                    let text = String::from_utf8(bytes)
                        .map_err(|_| ApiError::problem(Problem::NotMultipart))?;
                    form.fields.insert(name, text);
                }
            }
        }
        Ok(form)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_content() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        let jpeg = b"\xff\xd8\xff\xe0\0\x10JFIF\0";
        assert_eq!(detected_type(png, PHOTOS), Some("image/png"));
        assert_eq!(detected_type(jpeg, PHOTOS), Some("image/jpeg"));
        assert_eq!(detected_type(b"<svg onload=alert(1)>", PHOTOS), None);
        assert_eq!(detected_type(b"%PDF-1.7\n", PHOTOS), None);
        assert_eq!(
            detected_type(b"%PDF-1.7\n", &["application/pdf"]),
            Some("application/pdf")
        );
        let csv = "\u{feff}First Name,Last Name\nHélène,Lévy\n".as_bytes();
        assert_eq!(detected_type(csv, &[CSV]), Some(CSV));
        assert_eq!(detected_type(csv, PHOTOS), None);
        assert_eq!(detected_type(b"a,b\n\0\xff", &[CSV]), None);
        assert_eq!(detected_type(png, &[CSV]), None);
    }
}
