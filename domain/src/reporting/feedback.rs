//! 报到反馈: at year end the community tells each employer unit how its reported members served.
use crate::tenancy::Commit;
use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::reports::{load, ReportStatus};
use crate::error::{DomainError, DomainResult};
use crate::members::{ensure_keeper, ensure_staff, Status};
use crate::tenancy::TenantTx;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackRow {
    pub member_id: Uuid,
    pub name: String,
    pub posts: Vec<String>,
    pub reported_on: NaiveDate,
    pub confirmed_on: Option<NaiveDate>,
    /// Activities attended and volunteer minutes (verified attendance at activities held in
    /// the year) and the year's points.
    pub attendance: u32,
    pub volunteer_minutes: u32,
    pub points: i64,
}

/// One employer unit's sheet. `employer` is empty for members whose employer is not recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackSheet {
    pub employer: String,
    pub rows: Vec<FeedbackRow>,
}

/// The feedback for `year`: members whose report was confirmed by the end of that year and who
/// are still on the roster, one sheet per employer unit (by name), members by name.
pub async fn feedback(tx: &TenantTx, year: i32) -> DomainResult<Vec<FeedbackSheet>> {
    ensure_staff(tx)?;
    let last_day = NaiveDate::from_ymd_opt(year, 12, 31)
        .ok_or_else(|| DomainError::invalid("year", "bad_value"))?;
    let mut sheets: Vec<FeedbackSheet> = Vec::new();
    let service = crate::activities::service_in_year(tx, year).await?;
    let points = crate::points::year_totals(tx, year).await?;
    for report in load(tx, None).await? {
        let confirmed_in_time = report.status == ReportStatus::Confirmed
            && report.decided_on.is_some_and(|d| d <= last_day);
        if !confirmed_in_time || report.member_status == Status::TransferredOut {
            continue;
        }
        let employer = report.employer.clone().unwrap_or_default();
        let row = FeedbackRow {
            member_id: report.member_id,
            name: report.member_name,
            posts: report.posts.into_iter().map(|(_, name)| name).collect(),
            reported_on: report.reported_on,
            confirmed_on: report.decided_on,
            attendance: service.get(&report.member_id).map_or(0, |s| s.0),
            volunteer_minutes: service.get(&report.member_id).map_or(0, |s| s.1),
            points: points.get(&report.member_id).copied().unwrap_or(0),
        };
        match sheets.iter_mut().find(|s| s.employer == employer) {
            Some(sheet) => sheet.rows.push(row),
            None => sheets.push(FeedbackSheet {
                employer,
                rows: vec![row],
            }),
        }
    }
    // Units by name, the unknown employer last; members by name within a unit.
    crate::collate::sort_by_label(&mut sheets, |s| &s.employer);
    // The members whose employer is not known come last.
    sheets.sort_by_key(|s| s.employer.is_empty());
    for sheet in &mut sheets {
        sheet
            .rows
            .sort_by_cached_key(|r| (crate::collate::name_key(&r.name), r.name.clone()));
    }
    Ok(sheets)
}

/// The feedback for the spreadsheet download (keepers only), read without SQLite's write lock;
/// every download is then audited (one insert).
pub async fn export_feedback(
    db: &crate::Db,
    scope: &crate::tenancy::TenantScope,
    year: i32,
) -> DomainResult<Vec<FeedbackSheet>> {
    let tx = scope.read(db).await?;
    ensure_keeper(&tx)?;
    let sheets = feedback(&tx, year).await?;
    tx.commit().await?;
    crate::audit::record(
        db,
        crate::audit::AuditEvent::new("report_feedback_exported", scope.tenant_id().to_string())
            .actor(Some(scope.actor_user_id()))
            .node(Some(scope.tenant_id()))
            .detail(serde_json::json!({
                "year": year,
                "units": sheets.len(),
                "rows": sheets.iter().map(|s| s.rows.len()).sum::<usize>(),
            })),
    )
    .await?;
    Ok(sheets)
}

pub const FEEDBACK_HEADERS: [&str; 8] = [
    "序号",
    "姓名",
    "服务岗位",
    "报到日期",
    "确认日期",
    "参加活动（次）",
    "志愿服务（小时）",
    "积分",
];

/// Hours with one decimal, e.g. `2.5`.
pub fn hours(minutes: u32) -> String {
    format!("{}.{}", minutes / 60, minutes % 60 / 6)
}

/// A worksheet name Excel accepts: no `[]:*?/\`, at most 31 characters, unique in the book.
fn sheet_name(employer: &str, taken: &mut Vec<String>) -> String {
    let clean: String = employer
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(26)
        .collect();
    let clean = match clean.trim_matches('\'') {
        "" => "未填写工作单位".to_owned(),
        name => name.to_owned(),
    };
    let mut name = clean.clone();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{clean}({n})");
        n += 1;
    }
    taken.push(name.clone());
    name
}

/// One worksheet per employer unit: a title, the unit, the table, and a line for the seal.
pub fn feedback_xlsx(
    sheets: &[FeedbackSheet],
    year: i32,
    community: &str,
) -> DomainResult<Vec<u8>> {
    build(sheets, year, community).map_err(|_| DomainError::Internal)
}

fn build(sheets: &[FeedbackSheet], year: i32, community: &str) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(14);
    let mut taken = Vec::new();
    if sheets.is_empty() {
        let sheet = workbook.add_worksheet();
        sheet.set_name("报到反馈")?;
        sheet.write_string_with_format(
            0,
            0,
            format!("{year}年度在职党员到社区报到反馈表"),
            &title,
        )?;
        sheet.write_string(1, 0, "本年度没有已确认的报到党员")?;
    }
    for unit in sheets {
        let employer = match unit.employer.as_str() {
            "" => "未填写工作单位",
            name => name,
        };
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(employer, &mut taken))?;
        sheet.write_string_with_format(
            0,
            0,
            format!("{year}年度在职党员到社区报到反馈表"),
            &title,
        )?;
        sheet.write_string(1, 0, format!("工作单位：{employer}"))?;
        sheet.write_string(2, 0, format!("报到社区：{community}"))?;
        for (col, header) in FEEDBACK_HEADERS.iter().enumerate() {
            sheet.write_string_with_format(4, col as u16, *header, &bold)?;
        }
        for (i, row) in unit.rows.iter().enumerate() {
            let r = 5 + i as u32;
            sheet.write_number(r, 0, (i + 1) as f64)?;
            sheet.write_string(r, 1, &row.name)?;
            sheet.write_string(r, 2, row.posts.join("、"))?;
            sheet.write_string(r, 3, row.reported_on.to_string())?;
            let confirmed = row.confirmed_on.map(|d| d.to_string()).unwrap_or_default();
            sheet.write_string(r, 4, confirmed)?;
            sheet.write_number(r, 5, f64::from(row.attendance))?;
            sheet.write_number(r, 6, f64::from(row.volunteer_minutes) / 60.0)?;
            sheet.write_number(r, 7, row.points as f64)?;
        }
        let end = 6 + unit.rows.len() as u32;
        sheet.write_string(end, 0, "社区党组织（盖章）：")?;
        sheet.write_string(end, 5, "日期：")?;
        sheet.set_column_width(1, 12)?;
        sheet.set_column_width(2, 30)?;
        sheet.set_column_width(3, 12)?;
        sheet.set_column_width(4, 12)?;
    }
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::{hours, sheet_name};

    #[test]
    fn sheet_names_are_clean_short_and_unique() {
        let mut taken = Vec::new();
        assert_eq!(sheet_name("长春市教育局", &mut taken), "长春市教育局");
        assert_eq!(sheet_name("长春市教育局", &mut taken), "长春市教育局(2)");
        assert_eq!(sheet_name("A/B:C", &mut taken), "A_B_C");
        assert_eq!(sheet_name("''", &mut taken), "未填写工作单位");
        let long = "很".repeat(40);
        assert!(sheet_name(&long, &mut taken).chars().count() <= 31);
    }

    #[test]
    fn hours_have_one_decimal() {
        assert_eq!(hours(0), "0.0");
        assert_eq!(hours(150), "2.5");
        assert_eq!(hours(61), "1.0");
    }
}
