//! Running roster imports, kept in memory for an hour so the progress page can follow them.
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use domain::members::ImportReport;
use uuid::Uuid;

use crate::error::AppError;

const KEEP: Duration = Duration::from_secs(3600);

#[derive(Clone, Debug)]
pub struct Job {
    pub tenant: Uuid,
    pub user: Uuid,
    pub done: usize,
    pub total: usize,
    pub outcome: Option<Result<ImportReport, AppError>>,
    started: Instant,
}

#[derive(Debug, Default)]
pub struct ImportJobs(Mutex<HashMap<Uuid, Job>>);

impl ImportJobs {
    pub fn start(&self, tenant: Uuid, user: Uuid, total: usize) -> Uuid {
        let id = Uuid::now_v7();
        let job = Job {
            tenant,
            user,
            done: 0,
            total,
            outcome: None,
            started: Instant::now(),
        };
        if let Ok(mut jobs) = self.0.lock() {
            jobs.retain(|_, j| j.started.elapsed() < KEEP);
            jobs.insert(id, job);
        }
        id
    }

    pub fn progress(&self, id: Uuid, done: usize) {
        if let Ok(mut jobs) = self.0.lock() {
            if let Some(job) = jobs.get_mut(&id) {
                job.done = done;
            }
        }
    }

    pub fn finish(&self, id: Uuid, outcome: Result<ImportReport, AppError>) {
        if let Ok(mut jobs) = self.0.lock() {
            if let Some(job) = jobs.get_mut(&id) {
                job.done = job.total;
                job.outcome = Some(outcome);
            }
        }
    }

    /// The job, only for the user who started it in that community (reports name people).
    pub fn get(&self, id: Uuid, tenant: Uuid, user: Uuid) -> Option<Job> {
        let jobs = self.0.lock().ok()?;
        jobs.get(&id)
            .filter(|j| j.tenant == tenant && j.user == user)
            .cloned()
    }
}
