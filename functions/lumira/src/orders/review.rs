//! An expert's decision on an order's generated content, from the back office
//! (`PATCH /api/orders/:id/expert-review`) or the expert desk: it fills `expertReview` (who,
//! what, notes, when) and `expertValidation` (the content's standing), and a rejection sends
//! the reading back to `processing` to be written again.

use super::moves::Change;
use super::{Order, status};
use serde_json::json;
use store::Update;
use web::{ApiError, ApiResult};

web::choice! {
    pub enum Decision {
        Approved = "approved",
        Rejected = "rejected",
        /// Reviewed, no decision yet (the back office's third value).
        Pending = "pending",
    }
}

/// The content's standing as a top-level attribute, for the review queue's filter:
/// `pending` once written, then `approved` or `rejected`.
pub const REVIEW_STATE: &str = "reviewState";

/// The longest note a review keeps.
pub const MAX_NOTES: usize = 5000;

/// The change `expert` deciding `decision` with `notes` makes on `order`, checked against
/// its state: only generated content awaiting validation is decided on.
pub fn decide(
    order: &Order,
    expert: &str,
    decision: Decision,
    notes: Option<&str>,
    by: &str,
) -> ApiResult<Change> {
    let decides = decision != Decision::Pending;
    if decides && (order.generated_content.is_none() || order.status != status::AWAITING_VALIDATION)
    {
        return Err(ApiError::bad_request(
            "Only generated content awaiting validation can be approved or rejected",
        ));
    }
    let at = web::time::now();
    let mut update = Update::new().set(
        "expertReview",
        json!({
            "expertId": expert,
            "status": decision.as_str(),
            "notes": notes,
            "reviewedAt": at,
        }),
    );
    if decides {
        update = update.set(REVIEW_STATE, decision.as_str()).set(
            "expertValidation",
            json!({
                "validationStatus": decision.as_str(),
                "validationNotes": notes,
                "validatedAt": at,
                "validatedBy": expert,
            }),
        );
    }
    if decision == Decision::Rejected {
        return Ok(Change::moving(status::PROCESSING, update, by));
    }
    Change::fields(order, update, by)
}

/// Whether the order's content was approved by an expert.
pub fn approved(order: &Order) -> bool {
    order
        .expert_validation
        .as_ref()
        .and_then(|v| v.get("validationStatus"))
        .and_then(|s| s.as_str())
        == Some(Decision::Approved.as_str())
}
