//! 联席会议 and 议定事项 as one workbook: a sheet of meetings, a sheet of resolutions.
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::meetings::MeetingSummary;
use super::resolutions::Resolution;
use crate::error::{DomainError, DomainResult};

pub fn meetings_xlsx(
    title: &str,
    meetings: &[MeetingSummary],
    resolutions: &[Resolution],
) -> DomainResult<Vec<u8>> {
    build(title, meetings, resolutions).map_err(|_| DomainError::Internal)
}

fn build(
    title: &str,
    meetings: &[MeetingSummary],
    resolutions: &[Resolution],
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let heading = Format::new().set_bold().set_font_size(14);

    let sheet = workbook.add_worksheet();
    sheet.set_name("联席会议")?;
    sheet.write_string_with_format(0, 0, format!("{title} 联席会议"), &heading)?;
    let columns = [
        "会议名称",
        "日期",
        "时间",
        "地点",
        "召集人",
        "邀请",
        "签到",
        "纪要日期",
        "议定事项",
        "已办结",
        "办结率",
    ];
    for (col, name) in (0u16..).zip(columns) {
        sheet.write_string_with_format(2, col, name, &bold)?;
    }
    for (row, m) in (3u32..).zip(meetings) {
        sheet.write_string(row, 0, &m.title)?;
        sheet.write_string(row, 1, m.held_on.to_string())?;
        sheet.write_string(row, 2, &m.starts_at)?;
        sheet.write_string(row, 3, &m.venue)?;
        sheet.write_string(row, 4, &m.convener)?;
        sheet.write_number(row, 5, m.invited as f64)?;
        sheet.write_number(row, 6, m.signed_in as f64)?;
        sheet.write_string(
            row,
            7,
            m.minutes_on.map(|d| d.to_string()).unwrap_or_default(),
        )?;
        sheet.write_number(row, 8, m.resolutions.total as f64)?;
        sheet.write_number(row, 9, m.resolutions.done as f64)?;
        sheet.write_string(row, 10, percent(m.resolutions.percent()))?;
    }
    sheet.set_column_width(0, 30)?;
    sheet.set_column_width(3, 24)?;

    let sheet = workbook.add_worksheet();
    sheet.set_name("议定事项")?;
    sheet.write_string_with_format(0, 0, format!("{title} 议定事项"), &heading)?;
    let columns = [
        "会议",
        "会议日期",
        "事项",
        "责任方",
        "责任单位/人",
        "完成时限",
        "状态",
        "办结日期",
        "办结依据",
        "最新进展",
    ];
    for (col, name) in (0u16..).zip(columns) {
        sheet.write_string_with_format(2, col, name, &bold)?;
    }
    for (row, r) in (3u32..).zip(resolutions) {
        sheet.write_string(row, 0, &r.meeting_title)?;
        sheet.write_string(row, 1, r.held_on.to_string())?;
        sheet.write_string(row, 2, &r.content)?;
        sheet.write_string(row, 3, r.owner_kind.label())?;
        sheet.write_string(row, 4, &r.owner_name)?;
        sheet.write_string(row, 5, r.due_on.to_string())?;
        sheet.write_string(row, 6, r.status.label())?;
        sheet.write_string(
            row,
            7,
            r.closed_on.map(|d| d.to_string()).unwrap_or_default(),
        )?;
        sheet.write_string(row, 8, r.evidence.as_deref().unwrap_or_default())?;
        let latest = r
            .notes
            .last()
            .map(|n| format!("{} {}", n.noted_on, n.note))
            .unwrap_or_default();
        sheet.write_string(row, 9, latest)?;
    }
    sheet.set_column_width(0, 24)?;
    sheet.set_column_width(2, 40)?;
    sheet.set_column_width(8, 30)?;
    sheet.set_column_width(9, 30)?;
    workbook.save_to_buffer()
}

fn percent(value: Option<usize>) -> String {
    value.map(|p| format!("{p}%")).unwrap_or_default()
}

/// What the workbook holds for the viewer (street or community staff): the meetings they see and
/// the resolutions they follow. Audited: it leaves the system.
pub async fn export_meetings(
    db: &crate::Db,
    scope: &super::CoopScope,
    today: chrono::NaiveDate,
) -> DomainResult<(Vec<MeetingSummary>, Vec<Resolution>)> {
    // Read without SQLite's write lock; the download is audited after (one insert).
    let tx = scope.read(db).await?;
    super::meetings::convening_level(&tx)?;
    let meetings = super::meetings::meetings(&tx).await?;
    let resolutions = super::resolutions::resolutions(&tx, today).await?;
    tx.commit().await?;
    let actor = scope.street.actor_user_id();
    crate::audit::record(
        db,
        crate::audit::AuditEvent::new("meetings_exported", scope.street_id().to_string())
            .actor((!actor.is_nil()).then_some(actor))
            .node(Some(match scope.viewer() {
                super::Viewer::Community(c) => c,
                _ => scope.street_id(),
            }))
            .detail(serde_json::json!({
                "meetings": meetings.len(),
                "resolutions": resolutions.len(),
            })),
    )
    .await?;
    Ok((meetings, resolutions))
}
