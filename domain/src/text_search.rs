//! Searching text columns as people type: a part of a name or title, Latin letters in any case,
//! on both engines.
use sea_orm::sea_query::{Expr, LikeExpr, SimpleExpr};
use sea_orm::{ColumnTrait, DbBackend};

/// What was typed, trimmed, at most `max` characters.
pub(crate) fn search_term(typed: &str, max: usize) -> String {
    typed.trim().chars().take(max).collect()
}

/// `column` contains `term` (from `search_term`) as typed: a `%` or `_` in it is that
/// character, not a pattern. SQLite's `LIKE` ignores the case of Latin letters, PostgreSQL's
/// needs `ILIKE` for the same answer.
pub(crate) fn contains(backend: DbBackend, column: impl ColumnTrait, term: &str) -> SimpleExpr {
    use sea_orm::sea_query::extension::postgres::PgExpr;
    let mut pattern = String::with_capacity(term.len() + 2);
    pattern.push('%');
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    match backend {
        // `\` is PostgreSQL's escape unless told otherwise (and sea-query brackets an `ILIKE`'s
        // `ESCAPE` where PostgreSQL does not accept it); SQLite has none unless told.
        DbBackend::Postgres => Expr::col((column.entity_name(), column)).ilike(pattern),
        _ => column.like(LikeExpr::new(pattern).escape('\\')),
    }
}

#[cfg(test)]
mod tests {
    use super::search_term;

    #[test]
    fn what_was_typed_is_trimmed_and_capped() {
        assert_eq!(search_term("  50%_\\off ", 100), "50%_\\off");
        assert_eq!(search_term("张三丰", 2), "张三");
    }
}
