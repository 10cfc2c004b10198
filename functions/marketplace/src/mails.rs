//! The emails the document promises its members and providers, in French, through the
//! shared mail port (SES in Lambda, the outbox on a laptop and in tests). Each is sent once
//! the change it tells of is written; a mail that cannot leave is logged for the staff, never
//! the request's error (the change stands either way).

use crate::AppState;
use messaging::Email;

/// Who receives a mail: an account's address and first name.
pub struct To<'a> {
    pub email: &'a str,
    pub first_name: &'a str,
}

/// What happened, as the member is told.
pub enum Mail<'a> {
    Welcome,
    ApplicationReceived {
        business: &'a str,
    },
    ApplicationApproved {
        business: &'a str,
    },
    ApplicationRejected {
        business: &'a str,
        reason: &'a str,
    },
    RevisionsRequested {
        business: &'a str,
        changes: &'a str,
    },
    ProviderVerified {
        business: &'a str,
    },
    ProviderRejected {
        business: &'a str,
        reason: &'a str,
    },
    Featured {
        business: &'a str,
        until: Option<&'a str>,
    },
    AccountDeactivated,
    AccountReactivated,
}

impl Mail<'_> {
    /// Its subject and its body between the greeting and the signature.
    fn words(&self) -> (String, String) {
        match self {
            Mail::Welcome => (
                "Bienvenue sur la marketplace".into(),
                "Votre compte est créé. Trouvez les prestataires près de chez vous, ou proposez vos services en devenant prestataire.".into(),
            ),
            Mail::ApplicationReceived { business } => (
                "Candidature reçue".into(),
                format!("Nous avons bien reçu la candidature de « {business} ». Un administrateur l'examinera sous peu ; vous recevrez sa décision par email."),
            ),
            Mail::ApplicationApproved { business } => (
                "Candidature approuvée".into(),
                format!("Votre candidature « {business} » est approuvée : votre profil prestataire est créé, avec 30 jours d'essai. Reconnectez-vous pour y accéder ; il sera visible du public une fois vos documents vérifiés."),
            ),
            Mail::ApplicationRejected { business, reason } => (
                "Candidature refusée".into(),
                format!("Votre candidature « {business} » n'a pas été retenue.\n\nMotif : {reason}\n\nVous pouvez candidater de nouveau."),
            ),
            Mail::RevisionsRequested { business, changes } => (
                "Modifications demandées pour votre candidature".into(),
                format!("Votre candidature « {business} » demande quelques modifications :\n\n{changes}\n\nRenvoyez-la depuis votre espace (PUT /api/providers/my-application)."),
            ),
            Mail::ProviderVerified { business } => (
                "Profil vérifié".into(),
                format!("« {business} » est vérifié : votre profil porte le badge « Vérifié » et apparaît dans les résultats publics."),
            ),
            Mail::ProviderRejected { business, reason } => (
                "Vérification refusée".into(),
                format!("La vérification de « {business} » est refusée.\n\nMotif : {reason}"),
            ),
            Mail::Featured { business, until } => (
                "Votre profil est mis en avant".into(),
                match until {
                    Some(until) => format!("« {business} » apparaît en tête des résultats jusqu'au {}.", day(until)),
                    None => format!("« {business} » apparaît en tête des résultats."),
                },
            ),
            Mail::AccountDeactivated => (
                "Compte désactivé".into(),
                "Votre compte a été désactivé par un administrateur : vous ne pouvez plus vous connecter. Répondez à cet email pour en savoir plus.".into(),
            ),
            Mail::AccountReactivated => (
                "Compte réactivé".into(),
                "Votre compte est de nouveau actif : vous pouvez vous connecter.".into(),
            ),
        }
    }
}

/// `2026-06-30T12:00:00.000Z` as `30/06/2026`, as a Cameroonian reader writes dates.
fn day(at: &str) -> String {
    web::time::parse_date(at).map_or_else(|| at.to_owned(), |at| at.format("%d/%m/%Y").to_string())
}

/// The email of `mail` for `to`.
pub fn email(to: &To<'_>, mail: &Mail<'_>) -> Email {
    let (subject, body) = mail.words();
    Email {
        to: to.email.to_owned(),
        subject,
        text: format!(
            "Bonjour {},\n\n{body}\n\nL'équipe de la marketplace",
            to.first_name
        ),
        html: None,
    }
}

/// Sends `mail` to `to`, after the change it tells of was written.
pub async fn send(state: &AppState, to: To<'_>, mail: Mail<'_>) {
    let email = email(&to, &mail);
    let subject = email.subject.clone();
    if let Err(e) = state.mail.send_email(email).await {
        tracing::warn!(%subject, error = %e, "an email could not leave");
    }
}

/// Sends `mail` to the account `user_id`, read first (an account that is gone gets none).
pub async fn send_to_account(state: &AppState, user_id: &str, mail: Mail<'_>) {
    match crate::users::find(&state.store, user_id).await {
        Ok(Some(user)) => {
            let to = To {
                email: &user.email,
                first_name: &user.first_name,
            };
            send(state, to, mail).await;
        }
        Ok(None) => {}
        Err(e) => {
            tracing::warn!(user = %user_id, error = %e, "no email: the account could not be read")
        }
    }
}
