//! Importing a roster read by `upload::read_file` (the export's headers). Each row is checked
//! on its own; good rows are imported together in one transaction and every rejected row is
//! reported with its line number and reason.
use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, Utc};
use sea_orm::{ColumnTrait, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::history::EventKind;
use super::model::{check, CheckedMember, MemberInput};
use super::roster::{counters, stored};
use super::upload::Sheet;
use crate::changes::Change;
use crate::entities::{member, member_event};
use crate::error::{DomainError, DomainResult};
use crate::org::placements;
use crate::tenancy::TenantTx;

const BATCH: usize = 400;

/// Imports checking their rows at once (each on a blocking thread).
static CHECKING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejected {
    pub line: usize,
    pub name: String,
    pub field: String,
    pub reason: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub total: usize,
    pub imported: usize,
    pub rejected: Vec<Rejected>,
}

/// The input of one row, by header name.
fn row_input(
    headers: &[String],
    cells: &[String],
    placements: &HashMap<String, Uuid>,
) -> Result<MemberInput, DomainError> {
    let cell = |name: &str| -> String {
        headers
            .iter()
            .position(|h| h == name)
            .and_then(|i| cells.get(i))
            .map(|c| c.trim().to_owned())
            .unwrap_or_default()
    };
    let flag = |name: &str| -> Result<bool, DomainError> {
        match cell(name).as_str() {
            "是" | "Y" | "y" | "1" => Ok(true),
            "否" | "N" | "n" | "0" | "" => Ok(false),
            _ => Err(DomainError::invalid(name_field(name), "not_in_list")),
        }
    };
    let placement = cell("所在组织");
    let unit_id = if placement.is_empty() {
        None
    } else {
        Some(
            *placements
                .get(&placement)
                .ok_or_else(|| DomainError::invalid("unit_id", "not_found"))?,
        )
    };
    Ok(MemberInput {
        name: cell("姓名"),
        gender: cell("性别"),
        birth_date: cell("出生日期"),
        phone: cell("手机号"),
        joined_on: cell("入党日期"),
        category: cell("党员分类"),
        relation: cell("组织关系"),
        standing: cell("党员身份"),
        status: cell("状态"),
        unit_id,
        building: cell("楼栋"),
        unit_no: cell("单元"),
        room: cell("室"),
        employer: cell("工作单位"),
        employer_party_org: cell("单位党组织"),
        interests: cell("兴趣特长"),
        hardship: flag("困难党员")?,
        immobile: flag("行动不便")?,
        id_last4: cell("身份证后四位"),
    })
}

fn name_field(header: &str) -> &'static str {
    match header {
        "困难党员" => "hardship",
        _ => "immobile",
    }
}

/// How `import` is told of the rows checked: `(done, total)`.
pub type Progress = std::sync::Arc<dyn Fn(usize, usize) + Send + Sync>;

/// Imports the sheet's good rows. `progress(done, total)` is called as rows are checked.
pub async fn import(
    tx: &TenantTx,
    sheet: std::sync::Arc<Sheet>,
    today: NaiveDate,
    progress: Progress,
) -> DomainResult<ImportReport> {
    super::roster::ensure_keeper(tx)?;
    let total = sheet.rows.len();
    let unit_list = placements::list_placements(tx).await?;
    let mut placements: HashMap<String, Uuid> = HashMap::new();
    for (id, label) in placements::labels(&unit_list) {
        placements.insert(label.clone(), id);
        // A unit's own name works too when it is unique in the community.
        let own = label.rsplit(" › ").next().unwrap_or(&label).to_owned();
        let unique = unit_list.iter().filter(|u| u.name == own).count() == 1;
        if unique {
            placements.entry(own).or_insert(id);
        }
    }
    let existing: HashSet<String> = tx
        .find::<member::Entity>()
        .select_only()
        .column(member::Column::Phone)
        .filter(member::Column::Phone.is_not_null())
        .into_tuple::<Option<String>>()
        .all(tx)
        .await?
        .into_iter()
        .flatten()
        .collect();

    // Checking up to 50,000 rows is CPU work: off the runtime, while the transaction waits,
    // and a few communities' imports at a time.
    let _slot = CHECKING
        .acquire()
        .await
        .map_err(|_| DomainError::Internal)?;
    let told = progress.clone();
    let checked = tokio::task::spawn_blocking(move || {
        check_rows(&sheet, &placements, &existing, today, &*told)
    })
    .await
    .map_err(|_| DomainError::Internal)??;
    super::phone_probes::spend(tx, checked.members_phones)?;
    insert_all(tx, &checked.good).await?;
    progress(total, total);
    Ok(ImportReport {
        total,
        imported: checked.good.len(),
        rejected: checked.rejected,
    })
}

/// The rows of a sheet, checked.
struct CheckedRows {
    good: Vec<CheckedMember>,
    rejected: Vec<Rejected>,
    /// Rows refused because a member already has the phone: each tells whether a number is a
    /// member's, so they count against the caller's budget of such answers.
    members_phones: usize,
}

fn check_rows(
    sheet: &Sheet,
    placements: &HashMap<String, Uuid>,
    existing: &HashSet<String>,
    today: NaiveDate,
    progress: &(dyn Fn(usize, usize) + Send + Sync),
) -> DomainResult<CheckedRows> {
    let total = sheet.rows.len();
    let mut good: Vec<CheckedMember> = Vec::new();
    let mut rejected = Vec::new();
    let mut in_file: HashSet<String> = HashSet::new();
    let mut members_phones = 0;
    for (done, (line, cells)) in sheet.rows.iter().enumerate() {
        let checked =
            row_input(&sheet.headers, cells, placements).and_then(|input| check(&input, today));
        let checked = checked.and_then(|m| match &m.phone {
            Some(phone) if existing.contains(phone) => {
                members_phones += 1;
                Err(DomainError::invalid("phone", "duplicate"))
            }
            Some(phone) if !in_file.insert(phone.clone()) => {
                Err(DomainError::invalid("phone", "duplicate"))
            }
            _ => Ok(m),
        });
        match checked {
            Ok(m) => good.push(m),
            Err(DomainError::Invalid { field, reason }) => rejected.push(Rejected {
                line: *line,
                name: row_name(&sheet.headers, cells),
                field,
                reason,
            }),
            Err(other) => return Err(other),
        }
        if done % 100 == 0 {
            progress(done, total);
        }
    }
    Ok(CheckedRows {
        good,
        rejected,
        members_phones,
    })
}

fn row_name(headers: &[String], cells: &[String]) -> String {
    headers
        .iter()
        .position(|h| h == "姓名")
        .and_then(|i| cells.get(i))
        .map(|n| n.chars().take(64).collect())
        .unwrap_or_default()
}

async fn insert_all(tx: &TenantTx, good: &[CheckedMember]) -> DomainResult<()> {
    let now = Utc::now();
    let actor = tx.actor_user_id();
    for chunk in good.chunks(BATCH) {
        let mut members = Vec::with_capacity(chunk.len());
        let mut events = Vec::with_capacity(chunk.len());
        let mut spans = Vec::with_capacity(chunk.len());
        for m in chunk {
            let id = Uuid::now_v7();
            members.push(stored(tx.tenant_id(), id, m, None, now, None, now));
            let counted = super::spans::counted_unit(m.unit_id, m.status, m.relation);
            spans.extend(super::spans::first_span(
                tx.tenant_id(),
                id,
                counted,
                Some(now),
            ));
            events.push(member_event::ActiveModel {
                tenant_id: Set(tx.tenant_id()),
                id: Set(Uuid::now_v7()),
                member_id: Set(id),
                at: Set(now),
                actor_user_id: Set((!actor.is_nil()).then_some(actor)),
                kind: Set(EventKind::Imported),
                detail: Set("{}".to_owned()),
            });
            for metric in counters(m) {
                tx.record(Change::count(tx.tenant_id(), metric, 1));
            }
        }
        tx.insert_many(members).await?;
        tx.insert_many(events).await?;
        tx.insert_many(spans).await?;
    }
    Ok(())
}
