//! One way to end a form post on an org node. A server function parses its ids, names its
//! form and where a refusal goes back to, and hands the domain call to `submit`, which grants
//! the access, opens the write transaction, and then either commits and goes where the call
//! says, or (input the person can fix) rolls back and returns to the form with the reason and
//! what was typed. Errors are plain `?`: the server sets the status from the error itself.
use std::collections::HashMap;

use domain::tenancy::Commit;
use domain::{DomainError, DomainResult};
use serde::Serialize;
use uuid::Uuid;

use crate::error::AppError;
use crate::page::{PageAccess, WriteAccess};
use crate::routes::{self, Href};
use crate::state::{app_state, principal, redirect, set_flash, AppState, Flash};

/// A form posted on the node of the path id `node`.
pub struct Form {
    /// The node the form was posted on.
    pub node: Uuid,
    name: &'static str,
    back: Href,
    kept: HashMap<String, String>,
}

impl Form {
    /// The form `name` (its page shows the reason of a refusal), posted on `node`; a refusal
    /// goes back to the node's page unless `back` says otherwise.
    pub fn on(node: &str, name: &'static str) -> Result<Form, AppError> {
        let node = domain::validate::parse_id(node)?;
        Ok(Form {
            node,
            name,
            back: routes::node(node),
            kept: HashMap::new(),
        })
    }

    /// Where a refusal returns to.
    pub fn back(mut self, to: Href) -> Self {
        self.back = to;
        self
    }

    /// What was typed, shown again in the form after a refusal (never a password).
    pub fn keep(self, typed: &impl Serialize) -> Self {
        self.keep_as("", typed)
    }

    /// `keep` with the field names prefixed, for a page whose forms share names.
    pub fn keep_as(mut self, prefix: &str, typed: &impl Serialize) -> Self {
        if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(typed) {
            for (name, value) in fields {
                if let Some(text) = field_text(value) {
                    self.kept
                        .insert(format!("{prefix}{name}"), kept_text(&text));
                }
            }
        }
        self
    }

    /// One typed field kept as `keep` keeps a whole input.
    pub fn keep_field(mut self, name: &str, value: &str) -> Self {
        self.kept.insert(name.to_owned(), kept_text(value));
        self
    }

    /// The caller's access `A` on the node (403/404 otherwise), for endpoints that do not
    /// write through a transaction of their own.
    pub async fn grant<A: PageAccess>(&self) -> Result<(AppState, A), AppError> {
        let state = app_state()?;
        let principal = principal().await?;
        let access = A::grant(&principal, &state.db, self.node).await?;
        Ok((state, access))
    }

    /// Runs `act` in a write transaction with the caller's access `A` on the node; commits
    /// and goes where it returns, or refuses back to the form.
    pub async fn submit<A: WriteAccess>(
        self,
        act: impl AsyncFnOnce(&A::Tx) -> DomainResult<Href>,
    ) -> Result<(), AppError> {
        let (state, access) = self.grant::<A>().await?;
        let tx = access.write(&state.db).await?;
        match act(&tx).await {
            // A commit that loses a race (the counters it moves last) goes back to the form too.
            Ok(done) => {
                let committed = tx.commit().await.map(|()| done);
                self.finish(committed).await
            }
            Err(err) => {
                drop(tx);
                self.finish(Err(err)).await
            }
        }
    }

    /// Adds a thing (`id` empty) or changes one with `act`, which returns its id: a refusal goes
    /// back to the list's `#new` form or the thing's `#edit` form with what was typed; done, to
    /// the thing's page.
    pub async fn save<A: WriteAccess>(
        self,
        id: &str,
        list: fn(Uuid) -> Href,
        page: fn(Uuid, Uuid) -> Href,
        typed: &impl Serialize,
        act: impl AsyncFnOnce(&A::Tx, Option<Uuid>) -> DomainResult<Uuid>,
    ) -> Result<(), AppError> {
        let node = self.node;
        let id = optional_id(id)?;
        let back = match id {
            Some(id) => page(node, id).at("edit"),
            None => list(node).at("new"),
        };
        self.back(back)
            .keep(typed)
            .submit::<A>(async |tx| Ok(page(node, act(tx, id).await?).saved()))
            .await
    }

    /// Ends a post whose work is done (or refused) already: to `done`, back to the form for
    /// input the person can fix, an error otherwise.
    pub async fn finish(self, result: DomainResult<Href>) -> Result<(), AppError> {
        match result {
            Ok(done) => {
                redirect(&done.to_string());
                Ok(())
            }
            Err(
                err @ (DomainError::Invalid { .. }
                | DomainError::Conflict(_)
                | DomainError::Taken { .. }),
            ) => {
                set_flash(Flash {
                    form: self.name.into(),
                    values: self.kept,
                    error: err.into(),
                })
                .await?;
                redirect(&self.back.to_string());
                Ok(())
            }
            Err(err) => Err(err.into()),
        }
    }
}

/// The longest text any form takes (a meeting's minutes, 10,000 characters).
const KEPT_MAX: usize = 10_000;

/// Typed text as kept in the session for the form shown again: no longer than any field may be,
/// so a refused megabyte is not written into the session on every later request.
fn kept_text(typed: &str) -> String {
    typed.chars().take(KEPT_MAX).collect()
}

/// A kept field as the form shows it: text as typed, a ticked box as `on`, a list joined.
fn field_text(value: serde_json::Value) -> Option<String> {
    use serde_json::Value;
    match value {
        Value::String(text) => Some(text),
        Value::Bool(true) => Some("on".to_owned()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => Some(
            items
                .into_iter()
                .filter_map(field_text)
                .collect::<Vec<_>>()
                .join(","),
        ),
        Value::Bool(false) | Value::Null | Value::Object(_) => None,
    }
}

/// An optional id field (empty: none, e.g. a new record).
pub fn optional_id(value: &str) -> Result<Option<Uuid>, AppError> {
    match value.trim() {
        "" => Ok(None),
        id => Ok(Some(domain::validate::parse_id(id)?)),
    }
}

/// An id field.
pub fn id(value: &str) -> Result<Uuid, AppError> {
    Ok(domain::validate::parse_id(value)?)
}
