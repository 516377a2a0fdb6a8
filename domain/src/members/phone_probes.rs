//! A duplicate-phone answer tells whether a number belongs to a member of the community. Staff
//! who see phones masked could otherwise recover a masked number by trying all 10⁴ endings, so
//! each such answer they get is counted, and past `BUDGET` in an hour they get "try later"
//! instead. The secretary sees full numbers anyway and is not counted. Kept in memory: one
//! instance's guess rate is what it limits (a restart gives back at most one budget).
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use uuid::Uuid;

use crate::error::{DomainError, DomainResult};
use crate::kinds::Role;
use crate::tenancy::TenantTx;

/// Duplicate-phone answers per user and hour.
pub const BUDGET: usize = 10;
const WINDOW: Duration = Duration::from_secs(3600);

static ANSWERS: Mutex<Option<HashMap<Uuid, VecDeque<Instant>>>> = Mutex::new(None);

fn counted(tx: &TenantTx) -> bool {
    tx.role() != Role::CommunitySecretary
}

/// Answers left for the caller this hour (`usize::MAX` for the secretary).
pub(crate) fn left(tx: &TenantTx) -> usize {
    if !counted(tx) {
        return usize::MAX;
    }
    let Ok(mut guard) = ANSWERS.lock() else {
        return 0;
    };
    let answers = guard.get_or_insert_with(HashMap::new);
    let now = Instant::now();
    answers.retain(|_, times| {
        times.retain(|t| now.duration_since(*t) < WINDOW);
        !times.is_empty()
    });
    BUDGET.saturating_sub(answers.get(&tx.actor_user_id()).map_or(0, VecDeque::len))
}

/// Spends `n` answers; the error to give instead when the budget is used up.
pub(crate) fn spend(tx: &TenantTx, n: usize) -> DomainResult<()> {
    if n == 0 || !counted(tx) {
        return Ok(());
    }
    if left(tx) < n {
        return Err(DomainError::RateLimited);
    }
    if let Ok(mut guard) = ANSWERS.lock() {
        let times = guard
            .get_or_insert_with(HashMap::new)
            .entry(tx.actor_user_id())
            .or_default();
        times.extend(std::iter::repeat_n(Instant::now(), n));
    }
    Ok(())
}

/// The duplicate-phone refusal, counted against the caller's budget.
pub(crate) fn duplicate(tx: &TenantTx) -> DomainError {
    match spend(tx, 1) {
        Ok(()) => DomainError::invalid("phone", "duplicate"),
        Err(err) => err,
    }
}
