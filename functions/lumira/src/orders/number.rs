//! Order numbers as the document shows them: `LU` + the day (`YYMMDD`, UTC) + that day's
//! sequence, three digits and more past 999 (`LU240115001`). The sequence comes from one
//! counter per day, so numbers are unique; a number taken by a checkout that then failed is
//! not reused.

use chrono::{DateTime, Utc};
use store::DynStore;
use web::ApiResult;

pub async fn next(store: &DynStore, at: DateTime<Utc>) -> ApiResult<String> {
    let day = at.format("%y%m%d").to_string();
    let sequence = web::counters::next_id(store, &format!("order_number#{day}")).await?;
    Ok(format(&day, sequence))
}

fn format(day: &str, sequence: i64) -> String {
    format!("LU{day}{sequence:03}")
}

#[cfg(test)]
mod tests {
    use super::format;

    #[test]
    fn the_document_s_shape() {
        assert_eq!(format("240115", 1), "LU240115001");
        assert_eq!(format("240115", 1234), "LU2401151234");
    }
}
