//! 积分制管理: an append-only points ledger per member. Entries come from rules — attending an
//! activity (verified attendance only, never signup), volunteer hours, an unexcused absence
//! from 三会一课 — or from a manual adjustment with its reason and adjuster. A wrong entry is
//! reversed by a counter-entry, never edited or deleted (the table refuses both).
mod ledger;
mod rules;

pub use ledger::{
    adjust, freeze_year, frozen_at, member_points, my_points, ranking, reverse, Entry,
    MemberPoints, RankRow,
};
pub(crate) use ledger::{credit, credit_wish, reverse_signup, year_totals};
#[cfg(feature = "test-support")]
pub use ledger::{try_delete_for_test, try_update_for_test};
pub use rules::{rule_points, rules, set_rule, Rule};

pub use crate::kinds::PointsCategory;
