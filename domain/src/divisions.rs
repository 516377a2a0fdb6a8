//! Loads districts, streets and communities from the divisions file (`data/`, from npm
//! `china-division` 2.7.0). The whole selection is parsed and checked first; a broken line stops
//! the run before anything is written, naming the line. Existing codes are left as they are, so
//! running twice changes nothing.
use std::collections::HashMap;
use std::io::Read;

use chrono::Utc;
use sea_orm::Set;
use uuid::Uuid;

use crate::db::Db;
use crate::entities::org_node;
use crate::error::{DomainError, DomainResult};
use crate::kinds::NodeKind;
use crate::tenancy::{Runner, Sql};

pub const COUNTRY_CODE: &str = "CN";
const BATCH: usize = 500;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DivisionRow {
    pub province: String,
    pub city: String,
    pub district_code: String,
    pub district: String,
    pub street_code: String,
    pub street: String,
    pub community_code: String,
    pub community: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub rows: usize,
    pub created: usize,
    pub unchanged: usize,
}

/// Which part of the file to load: `all`, or a code prefix (2 digits a province, 4 a city,
/// 6 a district, 9 a street).
pub fn parse_selection(selection: &str) -> DomainResult<Option<String>> {
    let selection = selection.trim();
    if selection.eq_ignore_ascii_case("all") {
        return Ok(None);
    }
    if [2, 4, 6, 9].contains(&selection.len()) && selection.chars().all(|c| c.is_ascii_digit()) {
        return Ok(Some(selection.to_owned()));
    }
    Err(DomainError::invalid("selection", "bad_selection"))
}

/// Reads the CSV (gzip or plain) and keeps the rows of the selection. Any malformed line, inside
/// the selection or not, is an error naming its line number.
pub fn read_rows(reader: impl Read, prefix: Option<&str>) -> DomainResult<Vec<DivisionRow>> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(reader);
    let mut rows = Vec::new();
    for (index, record) in csv.records().enumerate() {
        let line = index + 2;
        let broken = |reason: &str| DomainError::invalid(&format!("line {line}"), reason);
        let record = record.map_err(|_| broken("unreadable_or_wrong_column_count"))?;
        let field = |i: usize| record.get(i).unwrap_or("").trim().to_owned();
        let row = DivisionRow {
            province: field(0),
            city: field(1),
            district_code: field(2),
            district: field(3),
            street_code: field(4),
            street: field(5),
            community_code: field(6),
            community: field(7),
        };
        check_row(&row).map_err(broken)?;
        if prefix.is_none_or(|p| row.community_code.starts_with(p)) {
            rows.push(row);
        }
    }
    Ok(rows)
}

fn check_row(row: &DivisionRow) -> Result<(), &'static str> {
    let digits = |s: &str, n: usize| s.len() == n && s.chars().all(|c| c.is_ascii_digit());
    if !digits(&row.district_code, 6) {
        return Err("bad_district_code");
    }
    if !digits(&row.street_code, 9) || !row.street_code.starts_with(&row.district_code) {
        return Err("bad_street_code");
    }
    if !digits(&row.community_code, 12) || !row.community_code.starts_with(&row.street_code) {
        return Err("bad_community_code");
    }
    let names = [
        &row.province,
        &row.city,
        &row.district,
        &row.street,
        &row.community,
    ];
    if names
        .iter()
        .any(|n| n.is_empty() || n.chars().count() > 100)
    {
        return Err("bad_name");
    }
    Ok(())
}

/// One node the import wants to exist.
struct Wanted {
    code: String,
    parent_code: Option<String>,
    kind: NodeKind,
    name: String,
}

/// The nodes of the rows, parents before children, each code once.
fn wanted_nodes(rows: &[DivisionRow]) -> Vec<Wanted> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    let mut push = |code: String, parent: Option<String>, kind, name: &str| {
        if seen.insert(code.clone()) {
            out.push(Wanted {
                code,
                parent_code: parent,
                kind,
                name: name.to_owned(),
            });
        }
    };
    for row in rows {
        let province = format!("{}0000", &row.district_code[..2]);
        let city = format!("{}00", &row.district_code[..4]);
        push(COUNTRY_CODE.into(), None, NodeKind::Country, "全国");
        push(
            province.clone(),
            Some(COUNTRY_CODE.into()),
            NodeKind::Province,
            &row.province,
        );
        push(city.clone(), Some(province), NodeKind::City, &row.city);
        push(
            row.district_code.clone(),
            Some(city),
            NodeKind::District,
            &row.district,
        );
        push(
            row.street_code.clone(),
            Some(row.district_code.clone()),
            NodeKind::Street,
            &row.street,
        );
        push(
            row.community_code.clone(),
            Some(row.street_code.clone()),
            NodeKind::Community,
            &row.community,
        );
    }
    out
}

/// Writes the rows' nodes that do not exist yet, in one transaction. `progress(done, total)` is
/// called after each batch.
pub async fn import(
    db: &Db,
    rows: &[DivisionRow],
    progress: &mut dyn FnMut(usize, usize),
) -> DomainResult<ImportReport> {
    let wanted = wanted_nodes(rows);
    let total = wanted.len();
    let tx = db.begin_shared().await?;
    let existing: HashMap<String, (Uuid, String)> =
        crate::tenancy::shared::find::<org_node::Entity>()
            .all(&tx)
            .await?
            .into_iter()
            .map(|n| (n.code, (n.id, n.path)))
            .collect();
    let mut known = existing.clone();
    let mut batch = Vec::with_capacity(BATCH);
    let mut report = ImportReport {
        rows: rows.len(),
        ..Default::default()
    };
    let now = Utc::now();
    // How many new communities each node (new or already there) gains beneath it.
    let mut gained: HashMap<Uuid, i64> = HashMap::new();
    for (done, node) in wanted.into_iter().enumerate() {
        if known.contains_key(&node.code) {
            report.unchanged += 1;
        } else {
            let parent = node
                .parent_code
                .as_ref()
                .and_then(|c| known.get(c))
                .cloned();
            let id = Uuid::now_v7();
            let path = format!("{}{id}/", parent.as_ref().map_or("/", |p| p.1.as_str()));
            known.insert(node.code.clone(), (id, path.clone()));
            if node.kind == NodeKind::Community {
                for above in path.split('/').filter_map(|p| Uuid::parse_str(p).ok()) {
                    *gained.entry(above).or_insert(0) += 1;
                }
            }
            batch.push(org_node::ActiveModel {
                id: Set(id),
                parent_id: Set(parent.map(|p| p.0)),
                kind: Set(node.kind),
                code: Set(node.code),
                name: Set(node.name),
                path: Set(path),
                created_at: Set(now),
            });
            report.created += 1;
        }
        if batch.len() == BATCH {
            crate::tenancy::shared::insert_many(&tx, std::mem::take(&mut batch)).await?;
            progress(done + 1, total);
        }
    }
    if !batch.is_empty() {
        crate::tenancy::shared::insert_many(&tx, batch).await?;
    }
    if report.created > 0 {
        // Each new community counts one; the subtree totals above it move by what it adds
        // (a province added to a live national database touches only its own lineage).
        tx.execute_sql(sea_orm::Statement::from_string(
            tx.backend(),
            "INSERT INTO rollup_counts (node_id, metric, value) \
             SELECT o.id, 'communities', 1 FROM org_nodes o WHERE o.kind = 'community' \
             AND NOT EXISTS (SELECT 1 FROM rollup_counts r \
                             WHERE r.node_id = o.id AND r.metric = 'communities')",
        ))
        .await?;
        crate::rollup::add_to_totals(&tx, "communities", &gained).await?;
    }
    progress(total, total);
    tx.commit().await?;
    Ok(report)
}

/// Looks a node up by its division code.
pub async fn find_by_code(db: &Db, code: &str) -> DomainResult<Option<org_node::Model>> {
    use sea_orm::ColumnTrait;
    crate::tenancy::shared::find::<org_node::Entity>()
        .filter(org_node::Column::Code.eq(code))
        .one(db)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str =
        "province,city,district_code,district,street_code,street,community_code,community
吉林省,长春市,220103,宽城区,220103002,站前街道,220103002001,长江路社区
吉林省,长春市,220103,宽城区,220103002,站前街道,220103002002,丹东路社区
吉林省,长春市,220104,朝阳区,220104001,前进街道,220104001001,某社区
";

    #[test]
    fn selects_by_code_prefix() {
        let rows = read_rows(SAMPLE.as_bytes(), Some("220103")).expect("rows");
        assert_eq!(rows.len(), 2);
        let all = read_rows(SAMPLE.as_bytes(), None).expect("rows");
        assert_eq!(all.len(), 3);
    }

    #[test]
    fn a_broken_line_is_named() {
        let broken = format!("{SAMPLE}吉林省,长春市,220103,宽城区,2201030,站前街道\n");
        assert_eq!(
            read_rows(broken.as_bytes(), None),
            Err(DomainError::invalid(
                "line 5",
                "unreadable_or_wrong_column_count"
            ))
        );
        let bad_code =
            format!("{SAMPLE}吉林省,长春市,220103,宽城区,220199002,站前街道,220199002001,x社区\n");
        assert_eq!(
            read_rows(bad_code.as_bytes(), None),
            Err(DomainError::invalid("line 5", "bad_street_code"))
        );
    }

    #[test]
    fn parents_come_before_children_once() {
        let rows = read_rows(SAMPLE.as_bytes(), None).expect("rows");
        let nodes = wanted_nodes(&rows);
        let codes: Vec<&str> = nodes.iter().map(|n| n.code.as_str()).collect();
        assert_eq!(
            codes,
            vec![
                "CN",
                "220000",
                "220100",
                "220103",
                "220103002",
                "220103002001",
                "220103002002",
                "220104",
                "220104001",
                "220104001001"
            ]
        );
    }

    #[test]
    fn selection_must_be_a_code_prefix_or_all() {
        assert_eq!(parse_selection("all"), Ok(None));
        assert_eq!(parse_selection("2201"), Ok(Some("2201".into())));
        assert!(parse_selection("22010").is_err());
        assert!(parse_selection("宽城区").is_err());
    }
}
