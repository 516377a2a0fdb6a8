//! A dashboard as a workbook: the headline figures, the children's table, the twelve months and
//! members by category — the same counts the page shows, nothing about a person.
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::{Dashboard, RollupScope};
use crate::error::{DomainError, DomainResult};
use crate::Db;

/// The dashboard of the scope's node as a workbook titled `title`, kept with its figures
/// (`super::kept`): written once per set of figures, off the async runtime, not once per
/// download.
pub async fn dashboard_workbook(
    db: &Db,
    scope: &RollupScope,
    title: String,
    now: chrono::DateTime<chrono::Utc>,
) -> DomainResult<Vec<u8>> {
    super::kept(db, scope, "dashboard.xlsx", now, async {
        let board = super::dashboard(db, scope, now).await?;
        tokio::task::spawn_blocking(move || dashboard_xlsx(&title, &board))
            .await
            .map_err(|_| DomainError::Internal)?
    })
    .await
}

fn dashboard_xlsx(title: &str, board: &Dashboard) -> DomainResult<Vec<u8>> {
    build(title, board).map_err(|_| DomainError::Internal)
}

/// A rate the dashboard computed (`attendance_rate`, `completion_rate`…) as the page shows it.
fn rate(percent: Option<f64>) -> String {
    percent.map_or_else(|| "—".to_owned(), |r| format!("{r:.0}%"))
}

fn build(title: &str, board: &Dashboard) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let heading = Format::new().set_bold().set_font_size(14);
    let a = &board.activity;

    let sheet = workbook.add_worksheet();
    sheet.set_name("总览")?;
    sheet.write_string_with_format(0, 0, format!("{title} 党建统筹 {}", board.year), &heading)?;
    let c = &board.coop;
    let m = &board.members;
    let headline: [(&str, String); 25] = [
        ("社区数", board.totals.communities.to_string()),
        ("党员数", board.totals.members.to_string()),
        ("在职党员", m.in_service.to_string()),
        ("已报到在职党员", m.reported.to_string()),
        ("报到率", rate(m.reported_rate())),
        ("待确认报到", m.reports_pending.to_string()),
        ("失联党员", m.lost_contact.to_string()),
        ("本月活动", a.this_month().to_string()),
        ("本季度活动", a.this_quarter().to_string()),
        ("本年活动", a.this_year().to_string()),
        ("出勤率", rate(a.attendance_rate())),
        (
            "服务时长（小时）",
            format!("{:.1}", a.volunteer_minutes as f64 / 60.0),
        ),
        ("本年积分", a.points.to_string()),
        ("网格党支部数", board.totals.grid_branches.to_string()),
        ("三会一课滞后支部", board.org_life.behind.to_string()),
        ("待认领需求", c.needs_open.to_string()),
        ("已认领需求", c.needs_claimed.to_string()),
        ("已完成需求", c.needs_done.to_string()),
        ("上报街道的需求", c.needs_escalated.to_string()),
        ("共建资源", c.resources.to_string()),
        ("在办项目", c.projects_active.to_string()),
        ("已完成项目", c.projects_done.to_string()),
        ("本年联席会议", c.meetings_held.to_string()),
        ("议定事项办结率", rate(c.completion_rate())),
        ("逾期议定事项", c.resolutions_overdue.to_string()),
    ];
    for (row, (label, value)) in headline.iter().enumerate() {
        let row = row as u32 + 2;
        sheet.write_string_with_format(row, 0, *label, &bold)?;
        sheet.write_string(row, 1, value)?;
    }
    sheet.set_column_width(0, 20)?;

    let sheet = workbook.add_worksheet();
    sheet.set_name("下级单位")?;
    let columns = [
        "名称",
        "区划代码",
        "党员数",
        "失联党员",
        "报到率",
        "本年活动",
        "出勤率",
        "服务时长（小时）",
        "本年积分",
        "网格党支部数",
        "三会一课滞后支部",
        "议定事项办结率",
        "逾期议定事项",
    ];
    for (col, name) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *name, &bold)?;
    }
    for (i, c) in board.children.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, &c.figures.node.name)?;
        sheet.write_string(row, 1, &c.figures.node.code)?;
        sheet.write_number(row, 2, c.figures.figures.members as f64)?;
        sheet.write_number(row, 3, c.members.lost_contact as f64)?;
        sheet.write_string(row, 4, rate(c.members.reported_rate()))?;
        sheet.write_number(row, 5, c.activity.this_year() as f64)?;
        sheet.write_string(row, 6, rate(c.activity.attendance_rate()))?;
        sheet.write_number(row, 7, c.activity.volunteer_minutes as f64 / 60.0)?;
        sheet.write_number(row, 8, c.activity.points as f64)?;
        sheet.write_number(row, 9, c.figures.figures.grid_branches as f64)?;
        sheet.write_number(row, 10, c.org_life.behind as f64)?;
        sheet.write_string(row, 11, rate(c.coop.completion_rate()))?;
        sheet.write_number(row, 12, c.coop.resolutions_overdue as f64)?;
    }
    sheet.set_column_width(0, 24)?;

    let sheet = workbook.add_worksheet();
    sheet.set_name("近十二个月")?;
    let columns = [
        "月份",
        "活动",
        "签到人次",
        "出勤率",
        "服务时长（小时）",
        "积分",
        "联席会议",
    ];
    for (col, name) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *name, &bold)?;
    }
    for (i, m) in board.trend.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, &m.month)?;
        sheet.write_number(row, 1, m.activities as f64)?;
        sheet.write_number(row, 2, m.attended as f64)?;
        sheet.write_string(row, 3, rate(m.attendance_rate()))?;
        sheet.write_number(row, 4, m.volunteer_minutes as f64 / 60.0)?;
        sheet.write_number(row, 5, m.points as f64)?;
        sheet.write_number(row, 6, m.meetings as f64)?;
    }

    let sheet = workbook.add_worksheet();
    sheet.set_name("活动分类")?;
    for (col, name) in ["活动类型", "本月", "本季度", "本年"].iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *name, &bold)?;
    }
    for (i, k) in a.by_kind.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, k.kind.label())?;
        sheet.write_number(row, 1, k.this_month as f64)?;
        sheet.write_number(row, 2, k.this_quarter as f64)?;
        sheet.write_number(row, 3, k.this_year as f64)?;
    }

    let sheet = workbook.add_worksheet();
    sheet.set_name("党员分类与状态")?;
    sheet.write_string_with_format(0, 0, "党员分类", &bold)?;
    sheet.write_string_with_format(0, 1, "党员数", &bold)?;
    for (i, (category, n)) in board.breakdown.by_category.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, category.label())?;
        sheet.write_number(row, 1, *n as f64)?;
    }
    let below = board.breakdown.by_category.len() as u32 + 2;
    sheet.write_string_with_format(below, 0, "党员状态", &bold)?;
    sheet.write_string_with_format(below, 1, "党员数", &bold)?;
    for (i, (status, n)) in board.breakdown.by_status.iter().enumerate() {
        let row = below + i as u32 + 1;
        sheet.write_string(row, 0, status.label())?;
        sheet.write_number(row, 1, *n as f64)?;
    }
    workbook.save_to_buffer()
}
