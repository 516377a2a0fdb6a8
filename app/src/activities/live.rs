//! Signing up in place and the seats kept live on an activity's page: what the browser is sent
//! (`Seats` over the page's event stream, `Answer` to a signup) and the signup endpoint the
//! page's island calls. Compiled for the browser too, which calls `sign_up_now` by name.
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use leptos::prelude::*;

/// Where the watching member stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Mine {
    /// Not signed up (or staff watching).
    Out,
    Confirmed,
    /// 1 = next in line.
    Waitlisted(u64),
}

/// An activity's seats as one watcher sees them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seats {
    /// None: unlimited.
    pub capacity: Option<u32>,
    pub confirmed: u32,
    pub waitlisted: u32,
    pub cancelled: bool,
    pub mine: Mine,
}

impl Seats {
    pub fn left(&self) -> Option<u32> {
        self.capacity.map(|c| c.saturating_sub(self.confirmed))
    }
}

/// The answer to a signup or a cancellation: where the member now stands, or (`mine` none)
/// why not, in their language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub mine: Option<Mine>,
    pub message: String,
}

/// A member signs up (`join`) or cancels (`leave`) and is answered in place. The same rule as
/// the form post (`sign_up`); a refusal the member can act on is an answer too (200, with its
/// reason), anything else an error with its status.
#[server(endpoint = "activities/signup_now")]
pub async fn sign_up_now(
    node: String,
    activity: String,
    action: String,
) -> Result<Answer, AppError> {
    use domain::activities;
    use domain::tenancy::Commit;
    use domain::DomainError;

    use crate::i18n::{t, t_with};
    use crate::page::{Activities, PageAccess, WriteAccess};

    let node = crate::form::id(&node)?;
    let id = crate::form::id(&activity)?;
    let state = crate::state::app_state()?;
    let principal = crate::state::principal().await?;
    let access = Activities::grant(&principal, &state.db, node).await?;
    let lang = use_context::<http::request::Parts>()
        .map(|parts| crate::i18n::request_lang(&parts))
        .unwrap_or_default();
    let tx = access.write(&state.db).await?;
    let now = chrono::Utc::now();
    let done = match action.as_str() {
        "join" => activities::sign_up(&tx, id, now)
            .await
            .map(|e| match e.position {
                Some(n) => Mine::Waitlisted(n),
                None => Mine::Confirmed,
            }),
        "leave" => activities::cancel_signup(&tx, id, now)
            .await
            .map(|()| Mine::Out),
        _ => Err(DomainError::invalid("action", "not_in_list")),
    };
    match done {
        Ok(mine) => {
            tx.commit().await?;
            let message = match mine {
                Mine::Confirmed => t(lang, "activities.joined"),
                Mine::Waitlisted(n) => {
                    t_with(lang, "activities.joined_waitlist", &[("n", n.to_string())])
                }
                Mine::Out => t(lang, "activities.left"),
            };
            Ok(Answer {
                mine: Some(mine),
                message,
            })
        }
        Err(
            err @ (DomainError::Invalid { .. }
            | DomainError::Conflict(_)
            | DomainError::Taken { .. }),
        ) => {
            drop(tx);
            Ok(Answer {
                mine: None,
                message: AppError::from(err).message(lang),
            })
        }
        Err(err) => Err(err.into()),
    }
}
