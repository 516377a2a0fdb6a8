//! Roster imports: at most one running per community, files parsed a few at a time off the
//! async runtime, and each job kept in memory for an hour so the progress page can follow it.
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use domain::members::ImportReport;
use tokio::sync::Semaphore;
use uuid::Uuid;

use crate::error::AppError;

const KEEP: Duration = Duration::from_secs(3600);
/// A job not finished after this no longer holds its community (its task died).
const STALE: Duration = Duration::from_secs(600);
/// Files parsed at once across the whole instance (parsing is CPU-bound).
const PARSE_SLOTS: usize = 2;

#[derive(Clone, Debug)]
pub struct Job {
    pub tenant: Uuid,
    pub user: Uuid,
    pub done: usize,
    pub total: usize,
    pub outcome: Option<Result<ImportReport, AppError>>,
    started: Instant,
}

impl Job {
    fn holds_community(&self) -> bool {
        self.outcome.is_none() && self.started.elapsed() < STALE
    }
}

#[derive(Debug)]
pub struct ImportJobs {
    jobs: Mutex<HashMap<Uuid, Job>>,
    parse_slots: Arc<Semaphore>,
}

impl Default for ImportJobs {
    fn default() -> Self {
        ImportJobs {
            jobs: Mutex::default(),
            parse_slots: Arc::new(Semaphore::new(PARSE_SLOTS)),
        }
    }
}

impl ImportJobs {
    /// Starts a job for `tenant`, or `None` while another import of that community runs.
    pub fn start(&self, tenant: Uuid, user: Uuid) -> Option<Uuid> {
        let mut jobs = self.jobs.lock().ok()?;
        jobs.retain(|_, j| j.started.elapsed() < KEEP);
        if jobs
            .values()
            .any(|j| j.tenant == tenant && j.holds_community())
        {
            return None;
        }
        let id = Uuid::now_v7();
        let job = Job {
            tenant,
            user,
            done: 0,
            total: 0,
            outcome: None,
            started: Instant::now(),
        };
        jobs.insert(id, job);
        Some(id)
    }

    /// Parses an uploaded file on a blocking thread, waiting for a free parse slot.
    pub async fn parse(&self, bytes: Vec<u8>) -> Result<domain::members::Sheet, AppError> {
        let _slot = self
            .parse_slots
            .acquire()
            .await
            .map_err(|_| AppError::Internal)?;
        tokio::task::spawn_blocking(move || domain::members::read_file(&bytes))
            .await
            .map_err(|_| AppError::Internal)?
            .map_err(AppError::from)
    }

    pub fn set_total(&self, id: Uuid, total: usize) {
        self.update(id, |job| job.total = total);
    }

    pub fn progress(&self, id: Uuid, done: usize) {
        self.update(id, |job| job.done = done);
    }

    pub fn finish(&self, id: Uuid, outcome: Result<ImportReport, AppError>) {
        self.update(id, |job| {
            job.done = job.total;
            job.outcome = Some(outcome);
        });
    }

    /// Forgets a job that never started importing (its file was refused).
    pub fn abandon(&self, id: Uuid) {
        if let Ok(mut jobs) = self.jobs.lock() {
            jobs.remove(&id);
        }
    }

    fn update(&self, id: Uuid, change: impl FnOnce(&mut Job)) {
        if let Ok(mut jobs) = self.jobs.lock() {
            if let Some(job) = jobs.get_mut(&id) {
                change(job);
            }
        }
    }

    /// The job, only for the user who started it in that community (reports name people).
    pub fn get(&self, id: Uuid, tenant: Uuid, user: Uuid) -> Option<Job> {
        let jobs = self.jobs.lock().ok()?;
        jobs.get(&id)
            .filter(|j| j.tenant == tenant && j.user == user)
            .cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_import_at_a_time_per_community() {
        let jobs = ImportJobs::default();
        let (a, b, user) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let first = jobs.start(a, user).expect("first import");
        assert_eq!(jobs.start(a, user), None, "A is busy");
        assert!(jobs.start(b, user).is_some(), "B is not");
        jobs.finish(first, Ok(ImportReport::default()));
        let again = jobs.start(a, user).expect("A again once finished");
        // A refused file frees the community at once.
        jobs.abandon(again);
        assert!(jobs.start(a, user).is_some());
    }
}
