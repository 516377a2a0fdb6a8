//! The monthly remittance summary as an .xlsx workbook: 汇总 (per branch) and 明细 (per member).
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::model::{month_label, rate_label};
use super::summary::{BranchDues, MonthDues};
use crate::error::{DomainError, DomainResult};

const SUMMARY: [&str; 7] = [
    "党支部",
    "应交人数",
    "应交金额（元）",
    "实交人数",
    "实交金额（元）",
    "代缴人数",
    "收缴率",
];
const LINES: [&str; 10] = [
    "党支部",
    "姓名",
    "缴费基数（元）",
    "比例",
    "应交（元）",
    "实交（元）",
    "缴纳方式",
    "缴纳日期",
    "代缴人",
    "状态",
];

/// Fen as yuan with two decimals.
fn yuan(cents: i64) -> f64 {
    cents as f64 / 100.0
}

fn summary_row(b: &BranchDues, name: &str) -> (String, [f64; 5], String) {
    let share = b.paid_share();
    let numbers = [
        b.members_due as f64,
        yuan(b.due_cents),
        b.payers as f64,
        yuan(b.paid_cents),
        b.by_proxy as f64,
    ];
    (name.to_owned(), numbers, share)
}

fn build(dues: &MonthDues) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("0.00");
    let title = format!("党费收缴月报 {}", month_label(dues.month));

    let sheet = workbook.add_worksheet();
    sheet.set_name("汇总")?;
    sheet.write_string_with_format(0, 0, &title, &bold)?;
    for (col, header) in SUMMARY.iter().enumerate() {
        sheet.write_string_with_format(1, col as u16, *header, &bold)?;
        sheet.set_column_width(col as u16, if col == 0 { 24 } else { 14 })?;
    }
    let rows = dues
        .branches
        .iter()
        .map(|b| {
            summary_row(
                b,
                if b.name.is_empty() {
                    "未编入支部"
                } else {
                    &b.name
                },
            )
        })
        .chain([summary_row(&dues.total, "合计")]);
    for (i, (name, numbers, share)) in rows.enumerate() {
        let r = i as u32 + 2;
        sheet.write_string(r, 0, &name)?;
        for (c, n) in numbers.iter().enumerate() {
            let c = c as u16 + 1;
            if c == 2 || c == 4 {
                sheet.write_number_with_format(r, c, *n, &money)?;
            } else {
                sheet.write_number(r, c, *n)?;
            }
        }
        sheet.write_string(r, 6, &share)?;
    }

    let sheet = workbook.add_worksheet();
    sheet.set_name("明细")?;
    for (col, header) in LINES.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *header, &bold)?;
        sheet.set_column_width(col as u16, if col == 0 { 24 } else { 12 })?;
    }
    for (i, l) in dues.lines.iter().enumerate() {
        let r = i as u32 + 1;
        sheet.write_string(r, 0, &l.branch)?;
        sheet.write_string(r, 1, &l.name)?;
        if let Some(base) = l.base_cents {
            sheet.write_number_with_format(r, 2, yuan(base), &money)?;
        }
        if let Some(rate) = l.rate_permille {
            sheet.write_string(r, 3, rate_label(rate))?;
        }
        if let Some(due) = l.due_cents {
            sheet.write_number_with_format(r, 4, yuan(due), &money)?;
        }
        if let Some(paid) = l.paid_cents {
            sheet.write_number_with_format(r, 5, yuan(paid), &money)?;
        }
        sheet.write_string(r, 6, l.method.map(|m| m.label()).unwrap_or_default())?;
        sheet.write_string(r, 7, l.paid_on.map(|d| d.to_string()).unwrap_or_default())?;
        sheet.write_string(r, 8, l.proxy.as_deref().unwrap_or_default())?;
        sheet.write_string(
            r,
            9,
            if l.paid_cents.is_some() {
                "已交"
            } else {
                "未交"
            },
        )?;
    }
    sheet.set_freeze_panes(1, 0)?;
    workbook.save_to_buffer()
}

/// The month's summary as an .xlsx file with Chinese headers.
pub fn month_xlsx(dues: &MonthDues) -> DomainResult<Vec<u8>> {
    build(dues).map_err(|err| {
        tracing::error!(error = %err, "writing the dues workbook");
        DomainError::Internal
    })
}
