//! The experts' notifications: a reading whose content awaits validation is announced to the
//! expert who took the order, or to every expert while nobody has.

use crate::AppState;
use crate::accounts::{self, Account};
use crate::orders::Order;
use crate::role::Role;
use messaging::Email;

/// Who hears of `order`'s reading: its expert, or every expert when it has none (or its
/// expert's account is gone).
async fn reviewers(state: &AppState, order: &Order) -> web::ApiResult<Vec<Account>> {
    if let Some(id) = &order.assigned_expert
        && let Some(expert) = accounts::find(&state.store, id).await?
        && expert.role == Role::Expert.as_str()
    {
        return Ok(vec![expert]);
    }
    accounts::with_role(&state.store, Role::Expert).await
}

fn awaiting_validation_email(state: &AppState, order: &Order, expert: &Account) -> Email {
    let desk = &state.config.expert_desk_url;
    Email {
        to: expert.email.clone(),
        subject: format!("Lecture à valider : commande {}", order.order_number),
        text: format!(
            "Bonjour {},\n\nLe contenu de la lecture « {} » de la commande {} attend votre \
             validation. Retrouvez-la dans votre espace expert : {desk}\n\nOracle Lumira",
            expert.name, order.level_name, order.order_number
        ),
        html: None,
    }
}

/// Tells the reviewers that `order`'s content awaits validation. The content is written
/// whether or not the emails leave: a failure is logged for the staff, never the writer's
/// error.
pub async fn reading_awaits_validation(state: &AppState, order: &Order) {
    let experts = match reviewers(state, order).await {
        Ok(experts) => experts,
        Err(e) => {
            tracing::warn!(order = %order.id, error = %e, "experts not found to notify");
            return;
        }
    };
    if experts.is_empty() {
        tracing::warn!(order = %order.id, "no expert account to notify");
    }
    for expert in &experts {
        let email = awaiting_validation_email(state, order, expert);
        if let Err(e) = state.mail.send_email(email).await {
            tracing::warn!(order = %order.id, expert = %expert.id, error = %e, "expert not notified");
        }
    }
}
