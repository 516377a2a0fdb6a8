//! Searching text columns as people type: a part of a name or title, Latin letters in any case,
//! on both engines.
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{ColumnTrait, DbBackend};

/// What was typed, trimmed, at most `max` characters, without the `LIKE` wildcards and escape
/// (a `%` typed is not a pattern).
pub(crate) fn search_term(typed: &str, max: usize) -> String {
    typed
        .trim()
        .chars()
        .filter(|c| !matches!(c, '%' | '_' | '\\'))
        .take(max)
        .collect()
}

/// `column` contains `term` (from `search_term`): SQLite's `LIKE` ignores the case of Latin
/// letters, PostgreSQL's needs `ILIKE` for the same answer.
pub(crate) fn contains(backend: DbBackend, column: impl ColumnTrait, term: &str) -> SimpleExpr {
    use sea_orm::sea_query::extension::postgres::PgExpr;
    let pattern = format!("%{term}%");
    match backend {
        DbBackend::Postgres => Expr::col((column.entity_name(), column)).ilike(pattern),
        _ => column.like(pattern),
    }
}

#[cfg(test)]
mod tests {
    use super::search_term;

    #[test]
    fn wildcards_are_not_patterns_and_the_length_is_capped() {
        assert_eq!(search_term("  50%_\\off ", 100), "50off");
        assert_eq!(search_term("张三丰", 2), "张三");
    }
}
