//! Values read once and kept for the life of a database handle, by id: what never changes once
//! written (org nodes, `org::nodes`). Each handle has its own.
use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use uuid::Uuid;

/// Past this many values the memo starts again (the whole country is ~137,000 org nodes; a
/// deployment's pages touch far fewer).
const CAPACITY: usize = 50_000;

#[derive(Default)]
pub struct Memo {
    values: Mutex<HashMap<Uuid, Arc<dyn Any + Send + Sync>>>,
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Memo")
    }
}

impl Memo {
    pub(crate) fn get<T: Any + Send + Sync>(&self, id: Uuid) -> Option<Arc<T>> {
        let values = self.values.lock().unwrap_or_else(PoisonError::into_inner);
        values.get(&id).cloned()?.downcast().ok()
    }

    pub(crate) fn keep<T: Any + Send + Sync>(&self, found: Vec<(Uuid, T)>) {
        let mut values = self.values.lock().unwrap_or_else(PoisonError::into_inner);
        if values.len() + found.len() > CAPACITY {
            values.clear();
        }
        for (id, value) in found {
            values.insert(id, Arc::new(value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_what_it_was_given_and_starts_again_when_full() {
        let memo = Memo::default();
        let first = Uuid::now_v7();
        memo.keep(vec![(first, "长江路社区".to_owned())]);
        assert_eq!(
            memo.get::<String>(first).as_deref().map(String::as_str),
            Some("长江路社区")
        );
        // Another type under the same id is not mistaken for it.
        assert!(memo.get::<u32>(first).is_none());
        let many: Vec<(Uuid, String)> = (0..CAPACITY)
            .map(|_| (Uuid::now_v7(), String::new()))
            .collect();
        memo.keep(many);
        assert!(memo.get::<String>(first).is_none());
    }
}
