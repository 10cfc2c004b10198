//! An admin's plan writes: create, update and delete. A plan's operator counts its plans, so
//! that an operator in use is never deleted, and a plan that orders use is never deleted
//! either.

use super::*;

/// Creates a plan of an existing operator; demo seeding uses it too.
pub async fn insert(store: &DynStore, fields: PlanFields) -> ApiResult<Plan> {
    let missing = |f: &str| ApiError::invalid(format!("{f} est requis"));
    let operator_id = fields.operator_id.ok_or_else(|| missing("operator_id"))?;
    let name = fields.name.ok_or_else(|| missing("name"))?;
    let price = fields.price.ok_or_else(|| missing("price"))?;
    let kind = fields.kind.ok_or_else(|| missing("type"))?;
    let id = counters::next_id(store, "plan").await?;
    let now = web::time::now();
    let plan = Plan {
        id,
        operator_id,
        name,
        description: fields.description.flatten(),
        price_minor: price.minor(),
        kind: kind.to_owned(),
        validity_days: fields.validity_days.flatten(),
        active: fields.active.unwrap_or(true),
        created_at: now.clone(),
        updated_at: now,
        order_count: 0,
    };
    let item = placement(id, operator_id).item(web::item::record(&plan)?);
    match store
        .transact_named(vec![
            (
                NEW_OPERATOR,
                operators::count_use(operator_id, "plan_count", 1),
            ),
            (
                "plan",
                TxOp::Put {
                    item: item.clone(),
                    cond: Some(Cond::NotExists),
                },
            ),
        ])
        .await
    {
        Ok(()) => Ok(plan),
        Err(e) if e.failed(NEW_OPERATOR) => Err(ApiError::not_found("Opérateur non trouvé")),
        Err(e) => Err(e.into()),
    }
}

#[utoipa::path(
    post,
    path = "/api/plans",
    tag = "Plans",
    operation_id = "createPlan",
    summary = "Créer un forfait (Admin)",
    description = "Crée un nouveau forfait.\n\n**Permissions :** Admin uniquement.",
    request_body = PlanCreate,
    responses(
        (status = 201, description = "Forfait créé (sans `operator_name`).", body = PlanView, example = json!({"id": 15, "operator_id": 1, "name": "Recharge 5000 FCFA", "description": "Crédit de communication de 5000 FCFA", "price": 5000.0, "type": "credit", "validity_days": null, "active": true, "created_at": "2025-01-15T16:00:00.000Z"})),
        (status = 404, description = "Opérateur non trouvé.", body = Error, example = json!({"error": "Opérateur non trouvé"})),
    )
)]
pub(super) async fn create(
    State(state): State<AppState>,
    _caller: AuthUser,
    Command(fields, _): Command<PlanFields>,
) -> ApiResult<(StatusCode, Json<PlanView>)> {
    let plan = insert(&state.store, fields).await?;
    Ok((StatusCode::CREATED, Json(PlanView::of(plan, None))))
}

#[utoipa::path(
    put,
    path = "/api/plans/{id}",
    tag = "Plans",
    operation_id = "updatePlan",
    summary = "Modifier un forfait (Admin)",
    description = "Modifie un forfait ; seuls les champs fournis changent.\n\n**Permissions :** Admin uniquement.",
    request_body = PlanUpdate,
    responses(
        (status = 200, description = "Forfait modifié.", body = PlanView, example = json!({"id": 1, "operator_id": 1, "operator_name": "Orange CI", "name": "Recharge 1000 FCFA", "description": "Crédit de communication de 1000 FCFA", "price": 1500.0, "type": "credit", "validity_days": null, "active": false, "created_at": "2025-01-01T00:00:00.000Z"})),
        (status = 400, description = "Identifiant ou données invalides.", body = Error, examples(("e1" = (summary = "Identifiant invalide", value = json!({"error": "Identifiant invalide"}))), ("e2" = (summary = "Données invalides", value = json!({"error": "Données invalides", "details": "price doit être positif"}))))),
        (status = 404, description = "Forfait, ou nouvel opérateur, non trouvé.", body = Error, examples(("e1" = (summary = "Plan non trouvé", value = json!({"error": "Plan non trouvé"}))), ("e2" = (summary = "Opérateur non trouvé", value = json!({"error": "Opérateur non trouvé"}))))),
        (status = 409, response = Conflict),
    )
)]
pub(super) async fn update(
    State(state): State<AppState>,
    _caller: AuthUser,
    PathId(id): PathId,
    Command(fields, _): Command<PlanFields>,
) -> ApiResult<Json<PlanView>> {
    let current = find(&state.store, id).await?.ok_or_else(not_found)?;
    let mut changes = Update::new().set("updated_at", web::time::now());
    if let Some(name) = &fields.name {
        changes = changes.set("name", name.as_str());
    }
    if let Some(description) = &fields.description {
        changes = changes.set("description", json!(description));
    }
    if let Some(price) = fields.price {
        changes = changes.set("price_minor", price.minor());
    }
    if let Some(kind) = &fields.kind {
        changes = changes.set("type", kind.as_str());
    }
    if let Some(days) = &fields.validity_days {
        changes = changes.set("validity_days", json!(days));
    }
    if let Some(active) = fields.active {
        changes = changes.set("active", active);
    }
    let mut ops = Vec::new();
    let moved = fields.operator_id.filter(|op| *op != current.operator_id);
    let operator_id = moved.unwrap_or(current.operator_id);
    // Read before the write: once the update is committed nothing may fail (a 503 would
    // hide a done update).
    let operator_name = operators::find(&state.store, operator_id)
        .await?
        .map(|o| o.name);
    if let Some(new_operator) = moved {
        changes = changes
            .set("operator_id", new_operator)
            .relist(BY_OPERATOR, operator_partition(new_operator));
        ops.push((
            NEW_OPERATOR,
            operators::count_use(new_operator, "plan_count", 1),
        ));
        ops.push((
            "old_operator",
            operators::count_use(current.operator_id, "plan_count", -1),
        ));
    }
    ops.push((
        "plan",
        TxOp::Update {
            key: plan_key(id),
            update: changes,
            cond: Some(Cond::eq("operator_id", current.operator_id)),
        },
    ));
    match state.store.transact_named(ops).await {
        Ok(()) => {}
        Err(e) if e.failed(NEW_OPERATOR) => {
            return Err(ApiError::not_found("Opérateur non trouvé"));
        }
        Err(e) if e.is_condition_failed() => return Err(not_found()),
        Err(e) => return Err(e.into()),
    }
    let plan = Plan {
        operator_id,
        name: fields.name.unwrap_or(current.name),
        description: fields.description.unwrap_or(current.description),
        price_minor: fields.price.map_or(current.price_minor, |p| p.minor()),
        kind: fields.kind.unwrap_or(current.kind),
        validity_days: fields.validity_days.unwrap_or(current.validity_days),
        active: fields.active.unwrap_or(current.active),
        ..current
    };
    Ok(Json(PlanView::of(plan, operator_name)))
}

/// Deletes a plan no order uses; a plan with orders is kept for their history (deactivate
/// it instead).
#[utoipa::path(
    delete,
    path = "/api/plans/{id}",
    tag = "Plans",
    operation_id = "deletePlan",
    summary = "Supprimer un forfait (Admin)",
    description = "Supprime un forfait qu'aucune commande n'utilise (sinon, le désactiver avec `active: false`).\n\n**Permissions :** Admin uniquement.",
    responses(
        (status = 200, description = "Forfait supprimé.", body = Message, example = json!({"message": "Plan supprimé avec succès"})),
        (status = 400, description = "Identifiant invalide, ou forfait utilisé par des commandes.", body = Error, examples(("e1" = (summary = "Impossible de supprimer ce plan car il est utilisé dans des commandes", value = json!({"error": "Impossible de supprimer ce plan car il est utilisé dans des commandes"}))), ("e2" = (summary = "Identifiant invalide", value = json!({"error": "Identifiant invalide"}))))),
        (status = 404, description = "Forfait non trouvé.", body = Error, example = json!({"error": "Plan non trouvé"})),
    )
)]
pub(super) async fn remove(
    State(state): State<AppState>,
    _caller: AuthUser,
    PathId(id): PathId,
) -> ApiResult<Json<Message>> {
    let current = find(&state.store, id).await?.ok_or_else(not_found)?;
    let unused = Cond::Exists
        .and(Cond::eq("operator_id", current.operator_id))
        .and(Cond::Or(vec![
            Cond::attr_not_exists("order_count"),
            Cond::eq("order_count", 0),
        ]));
    match state
        .store
        .transact_named(vec![
            (
                "unused_plan",
                TxOp::Delete {
                    key: plan_key(id),
                    cond: Some(unused),
                },
            ),
            (
                "operator",
                TxOp::Update {
                    key: operators::operator_key(current.operator_id),
                    update: Update::new().add("plan_count", -1),
                    cond: None,
                },
            ),
        ])
        .await
    {
        Ok(()) => Ok(Json(Message::new("Plan supprimé avec succès"))),
        Err(e) if e.failed("unused_plan") => Err(ApiError::bad_request(
            "Impossible de supprimer ce plan car il est utilisé dans des commandes",
        )),
        Err(e) => Err(e.into()),
    }
}
