//! 党费 (Party dues): each member's monthly dues assessed from their income base by the rates of
//! the 党费 rules (or a fixed amount), the payments the branch records month by month (代缴 for
//! members who cannot come), the arrears with the six-month early warning of 党章 Art. 9, and the
//! monthly remittance summary. Only members whose Party relation is here pay here.
mod assess;
mod model;
mod overview;
mod payments;
mod spreadsheet;
mod summary;

pub use assess::{assess, member_dues, Assessment, DuesInput, MemberDues};
pub use model::{
    month_label, parse_month, rate_label, standard_dues, PaymentMethod, RATES_PERMILLE,
};
pub use overview::{dues_roster, DuesRow, WARNING_MONTHS};
pub use payments::{record_payment, undo_payment, Payment, PaymentInput};
pub use spreadsheet::month_xlsx;
pub use summary::{export_month, month_dues, BranchDues, MonthDues, MonthLine};
