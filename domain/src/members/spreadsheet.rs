//! The roster as a spreadsheet: the same Chinese column headers for export and (later) import.
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use uuid::Uuid;

use super::roster::MemberRow;
use crate::error::{DomainError, DomainResult};

pub const HEADERS: [&str; 19] = [
    "姓名",
    "性别",
    "出生日期",
    "手机号",
    "入党日期",
    "党员分类",
    "状态",
    "所在组织",
    "楼栋",
    "单元",
    "室",
    "工作单位",
    "单位党组织",
    "兴趣特长",
    "困难党员",
    "行动不便",
    "身份证后四位",
    "组织关系",
    "党员身份",
];

fn cells(row: &MemberRow, unit_labels: &[(Uuid, String)]) -> [String; 19] {
    let row = &row.member;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let date = |v: Option<chrono::NaiveDate>| v.map(|d| d.to_string()).unwrap_or_default();
    let flag = |v: bool| if v { "是" } else { "否" }.to_owned();
    let placement = row
        .unit_id
        .and_then(|id| unit_labels.iter().find(|(u, _)| *u == id))
        .map(|(_, label)| label.clone())
        .unwrap_or_default();
    [
        row.name.clone(),
        row.gender.label().to_owned(),
        date(row.birth_date),
        text(&row.phone),
        date(row.joined_on),
        row.category.label().to_owned(),
        row.status.label().to_owned(),
        placement,
        text(&row.building),
        text(&row.unit_no),
        text(&row.room),
        text(&row.employer),
        text(&row.employer_party_org),
        text(&row.interests),
        flag(row.hardship),
        flag(row.immobile),
        text(&row.id_last4),
        row.relation.label().to_owned(),
        row.standing.label().to_owned(),
    ]
}

fn build(rows: &[[String; 19]]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("党员名册")?;
    let bold = Format::new().set_bold();
    for (col, header) in HEADERS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *header, &bold)?;
        sheet.set_column_width(col as u16, if col == 7 || col >= 11 { 24 } else { 12 })?;
    }
    for (index, row) in rows.iter().enumerate() {
        for (col, value) in row.iter().enumerate() {
            sheet.write_string(index as u32 + 1, col as u16, value)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    workbook.save_to_buffer()
}

/// An .xlsx file of the rows with Chinese headers.
pub fn roster_xlsx(rows: &[MemberRow], unit_labels: &[(Uuid, String)]) -> DomainResult<Vec<u8>> {
    let cells: Vec<_> = rows.iter().map(|r| cells(r, unit_labels)).collect();
    build(&cells).map_err(|err| {
        tracing::error!(error = %err, "writing the roster spreadsheet");
        DomainError::Internal
    })
}

/// The import template: the headers and one example row to overwrite.
pub fn template_xlsx() -> DomainResult<Vec<u8>> {
    let example = [
        "王秀兰",
        "女",
        "1956-03-08",
        "13812345678",
        "1980-07-01",
        "离退休",
        "正常",
        "第一网格党支部",
        "1号楼",
        "2单元",
        "301",
        "",
        "",
        "书法、合唱",
        "否",
        "否",
        "123X",
        "组织关系在本社区",
        "正式党员",
    ]
    .map(str::to_owned);
    build(&[example]).map_err(|err| {
        tracing::error!(error = %err, "writing the import template");
        DomainError::Internal
    })
}
