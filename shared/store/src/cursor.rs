use crate::StoreError;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use std::collections::BTreeMap;

/// The position after the last item a query evaluated: its key attributes (table key and,
/// for an index query, the index key). Opaque to clients, who see it only in its encoded form;
/// both adapters produce and accept the same encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor(pub BTreeMap<String, String>);

impl Cursor {
    pub fn encode(&self) -> String {
        let json = serde_json::to_vec(&self.0).unwrap_or_default();
        URL_SAFE_NO_PAD.encode(json)
    }

    pub fn decode(text: &str) -> Result<Cursor, StoreError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(text.as_bytes())
            .map_err(|_| StoreError::InvalidCursor)?;
        let map: BTreeMap<String, String> =
            serde_json::from_slice(&bytes).map_err(|_| StoreError::InvalidCursor)?;
        if !map.contains_key("pk") || !map.contains_key("sk") {
            return Err(StoreError::InvalidCursor);
        }
        Ok(Cursor(map))
    }
}
