//! zh-CN first, English second. The catalogue is `locales/*.yml`, one file per feature (both
//! languages side by side under each key).
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

/// The cookie that remembers the chosen language (also before login).
pub const LANG_COOKIE: &str = "lang";

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn parse(value: &str) -> Option<Lang> {
        match value {
            "zh-CN" | "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }
}

/// The names of (id, name) pairs as one line, separated by the enumeration comma (、).
#[cfg(feature = "ssr")]
pub fn names(pairs: &[(uuid::Uuid, String)]) -> String {
    pairs
        .iter()
        .map(|(_, name)| name.as_str())
        .collect::<Vec<_>>()
        .join("、")
}

/// The text of `key` in `lang`.
pub fn t(lang: Lang, key: &str) -> String {
    rust_i18n::t!(key, locale = lang.code()).into_owned()
}

/// The text of `key` with `%{name}` placeholders filled in.
pub fn t_with(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    fill(&t(lang, key), args)
}

/// `text` with each `%{name}` replaced by its value, in one pass: a value that itself holds
/// `%{…}` (an address someone typed) stays as typed.
fn fill(text: &str, args: &[(&str, String)]) -> String {
    let mut filled = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("%{") {
        filled.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let named = after.find('}').and_then(|end| {
            let value = args.iter().find(|(name, _)| *name == &after[..end])?;
            Some((value, end))
        });
        match named {
            Some(((_, value), end)) => {
                filled.push_str(value);
                rest = &after[end + 1..];
            }
            None => {
                filled.push_str("%{");
                rest = after;
            }
        }
    }
    filled.push_str(rest);
    filled
}

/// The language of the current request (provided by the shell).
pub fn use_lang() -> Lang {
    leptos::prelude::use_context::<Lang>().unwrap_or_default()
}

/// The language a request asks for: the cookie, else an English Accept-Language, else zh-CN.
#[cfg(feature = "ssr")]
pub fn request_lang(parts: &http::request::Parts) -> Lang {
    let from_cookie = parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == LANG_COOKIE)
        .and_then(|(_, value)| Lang::parse(value));
    from_cookie.unwrap_or_else(|| {
        let accept = parts
            .headers
            .get(http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if accept.trim_start().starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_once_and_typed_text_stays() {
        let args = [
            ("address", "%{until}@x.cn".to_owned()),
            ("until", "12:00".to_owned()),
        ];
        assert_eq!(
            fill("to %{address} before %{until}, %{none} and %{", &args),
            "to %{until}@x.cn before 12:00, %{none} and %{"
        );
    }

    #[test]
    fn both_languages_have_the_login_texts() {
        assert_eq!(t(Lang::Zh, "login.title"), "登录");
        assert_eq!(t(Lang::En, "login.title"), "Log in");
        assert_eq!(t(Lang::Zh, "error.forbidden"), "无权访问");
    }

    /// This crate's folder as the running test is told it: a binary built in another checkout
    /// that shares the target directory must still read this checkout's files.
    pub(super) fn crate_dir() -> String {
        std::env::var("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR")
    }

    /// Every catalogue file with its text, read from `locales/` (the same files `i18n!` embeds).
    fn catalogue() -> Vec<(String, String)> {
        let dir = format!("{}/locales", crate_dir());
        let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
            .expect("locales dir")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "yml"))
            .map(|p| {
                let text = std::fs::read_to_string(&p).expect("catalogue file");
                (p.display().to_string(), text)
            })
            .collect();
        files.sort();
        assert!(files.len() > 5, "only {} catalogue files", files.len());
        files
    }

    /// Each key with the languages it is given in.
    fn entries() -> Vec<(String, Vec<String>)> {
        let mut all = Vec::new();
        for (_, text) in catalogue() {
            for line in text.lines().filter(|l| !l.starts_with(['_', '#'])) {
                if !line.starts_with(' ') && line.ends_with(':') {
                    all.push((line.trim_end_matches(':').to_owned(), Vec::new()));
                } else if let (Some((lang, _)), Some(last)) =
                    (line.trim().split_once(':'), all.last_mut())
                {
                    last.1.push(lang.to_owned());
                }
            }
        }
        all
    }

    pub(super) fn known_keys() -> std::collections::HashSet<String> {
        entries().into_iter().map(|(k, _)| k).collect()
    }

    #[test]
    fn every_key_exists_in_both_languages() {
        let entries = entries();
        for (key, langs) in &entries {
            assert!(langs.contains(&"zh-CN".to_owned()), "{key} lacks zh-CN");
            assert!(langs.contains(&"en".to_owned()), "{key} lacks en");
        }
        assert!(entries.len() > 500);
    }

    /// A key given twice (in one file or two) would silently replace the first text (one
    /// feature's wording overwriting another's).
    #[test]
    fn no_key_is_given_twice() {
        let mut seen = std::collections::HashSet::new();
        for (key, _) in entries() {
            assert!(seen.insert(key.clone()), "{key} is in the catalogue twice");
        }
        assert!(seen.len() > 100);
    }

    /// Every source file of a crate, with its path.
    pub(super) fn sources(crate_dir: &str) -> Vec<(std::path::PathBuf, String)> {
        let mut files = vec![std::path::PathBuf::from(crate_dir).join("src")];
        let mut found = Vec::new();
        while let Some(path) = files.pop() {
            if path.is_dir() {
                let entries = std::fs::read_dir(&path).expect("source dir");
                files.extend(entries.map(|e| e.expect("entry").path()));
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("source file");
                found.push((path, text));
            }
        }
        found
    }

    /// Every literal key the code looks up is in the catalogue.
    #[test]
    fn every_key_the_code_uses_exists() {
        let known = known_keys();
        let mut checked = 0;
        for (path, source) in sources(&crate_dir()) {
            for marker in ["t(lang, \"", "t_with(lang, \""] {
                for part in source.split(marker).skip(1) {
                    let key = part.split('"').next().unwrap_or_default();
                    assert!(
                        known.contains(key),
                        "{}: {key} is not in the catalogue",
                        path.display()
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 100, "found only {checked} lookups");
    }
}

/// Keys the code builds from a stored code (`format!("status.{}", s.as_str())`) and the reasons
/// the domain gives for refusing a field: each must be in the catalogue, in both languages.
#[cfg(all(test, feature = "ssr"))]
mod dynamic_keys {
    use domain::{activities, coop, members, org, reporting};

    fn codes<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> Vec<String> {
        all.iter().map(|v| code(*v).to_owned()).collect()
    }

    /// The kinds of message about an activity (a notice is titled by its sender).
    fn activity_messages() -> Vec<String> {
        codes(
            domain::kinds::MessageKind::ALL,
            domain::kinds::MessageKind::as_str,
        )
        .into_iter()
        .filter(|k| k != "notice")
        .collect()
    }

    /// Each prefix the UI completes at run time, with every value it can be completed with.
    fn completions() -> Vec<(&'static str, Vec<String>)> {
        let app_errors = [
            AppError::Unauthenticated,
            AppError::Forbidden,
            AppError::PasswordChangeRequired,
            AppError::NotFound,
            AppError::Conflict,
            AppError::BadCredentials,
            AppError::RateLimited,
            AppError::Internal,
            AppError::Invalid {
                field: String::new(),
                reason: String::new(),
            },
            AppError::Taken { by: String::new() },
        ];
        let (fields, reasons) = domain_refusals();
        vec![
            (
                "status",
                codes(members::Status::ALL, members::Status::as_str),
            ),
            (
                "category",
                codes(members::Category::ALL, members::Category::as_str),
            ),
            (
                "relation",
                codes(members::PartyRelation::ALL, members::PartyRelation::as_str),
            ),
            (
                "committee_post",
                codes(
                    domain::kinds::CommitteePost::ALL,
                    domain::kinds::CommitteePost::as_str,
                ),
            ),
            (
                "dues_method",
                codes(
                    domain::dues::PaymentMethod::ALL,
                    domain::dues::PaymentMethod::as_str,
                ),
            ),
            (
                "review_grade",
                codes(
                    domain::kinds::ReviewGrade::ALL,
                    domain::kinds::ReviewGrade::as_str,
                ),
            ),
            (
                "gender",
                codes(members::Gender::ALL, members::Gender::as_str),
            ),
            (
                "standing",
                codes(members::PartyStanding::ALL, members::PartyStanding::as_str),
            ),
            (
                "leave_state",
                codes(
                    domain::kinds::LeaveState::ALL,
                    domain::kinds::LeaveState::as_str,
                ),
            ),
            (
                "roll_mark",
                codes(
                    domain::kinds::Attendance::ALL,
                    domain::kinds::Attendance::as_str,
                ),
            ),
            (
                "contact",
                codes(members::ContactMethod::ALL, members::ContactMethod::as_str),
            ),
            (
                "care",
                codes(members::CareKind::ALL, members::CareKind::as_str),
            ),
            (
                "members.event",
                members::event_kinds().map(str::to_owned).collect(),
            ),
            (
                "transfers",
                vec!["transfer_in".into(), "transfer_out".into()],
            ),
            (
                "unit_kind",
                codes(coop::PartnerKind::ALL, coop::PartnerKind::as_str),
            ),
            (
                "resource_kind",
                codes(coop::ResourceKind::ALL, coop::ResourceKind::as_str),
            ),
            (
                "resolution_status",
                codes(coop::ResolutionStatus::ALL, coop::ResolutionStatus::as_str),
            ),
            (
                "owner_kind",
                codes(coop::OwnerKind::ALL, coop::OwnerKind::as_str),
            ),
            (
                "invitee_kind",
                codes(coop::InviteeKind::ALL, coop::InviteeKind::as_str),
            ),
            ("urgency", codes(coop::Urgency::ALL, coop::Urgency::as_str)),
            (
                "project_status",
                codes(coop::ProjectStatus::ALL, coop::ProjectStatus::as_str),
            ),
            (
                "need_category",
                codes(coop::NeedCategory::ALL, coop::NeedCategory::as_str),
            ),
            (
                "need_status",
                codes(coop::NeedStatus::ALL, coop::NeedStatus::as_str),
            ),
            (
                "audience",
                codes(activities::Audience::ALL, activities::Audience::as_str),
            ),
            (
                "attendance",
                codes(activities::Attendance::ALL, activities::Attendance::as_str),
            ),
            ("kind", codes(&org::NodeKind::ALL, org::NodeKind::as_str)),
            (
                "units.add",
                codes(
                    &org::placements::PlacementKind::ALL,
                    org::placements::PlacementKind::as_str,
                ),
            ),
            (
                "role",
                codes(&domain::auth::Role::ALL, domain::auth::Role::as_str),
            ),
            (
                "reporting",
                codes(
                    &reporting::ReportStatus::ALL,
                    reporting::ReportStatus::as_str,
                ),
            ),
            (
                "error",
                app_errors.iter().map(|e| e.code().to_owned()).collect(),
            ),
            (
                "notices.audience",
                codes(
                    domain::kinds::NoticeAudience::ALL,
                    domain::kinds::NoticeAudience::as_str,
                ),
            ),
            (
                "robot_kind",
                codes(
                    domain::kinds::RobotKind::ALL,
                    domain::kinds::RobotKind::as_str,
                ),
            ),
            (
                "outbound.channel",
                codes(domain::kinds::Channel::ALL, domain::kinds::Channel::as_str),
            ),
            (
                "workbench",
                domain::workbench::Work::ALL
                    .iter()
                    .map(|w| w.as_str().to_owned())
                    .collect(),
            ),
            ("messages.kind", activity_messages()),
            ("messages.says", activity_messages()),
            (
                "notices.done",
                codes(&crate::notices::Done::ALL, crate::notices::Done::as_str),
            ),
            (
                "proposals.status",
                codes(
                    &domain::kinds::ProposalStatus::ALL,
                    domain::kinds::ProposalStatus::as_str,
                ),
            ),
            (
                "accounts.change",
                domain::auth::admin::ACCOUNT_ACTIONS
                    .map(str::to_owned)
                    .to_vec(),
            ),
            ("field", fields),
            ("reason", reasons),
        ]
    }

    /// The field names and reason codes in the domain's refusals: `invalid("field", "reason")`
    /// and the shared checks (`required_text("field", …)` refuses with `required`, `too_long`…).
    fn domain_refusals() -> (Vec<String>, Vec<String>) {
        let domain_dir = format!("{}/../domain", super::tests::crate_dir());
        let quoted = |s: &str| -> Option<String> {
            let s = s.trim_start();
            let rest = s.strip_prefix('"')?;
            let word = rest.split('"').next()?;
            word.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                .then(|| word.to_owned())
                .filter(|w| !w.is_empty())
        };
        let mut fields = std::collections::BTreeSet::new();
        let mut reasons = std::collections::BTreeSet::new();
        for (path, source) in super::tests::sources(&domain_dir) {
            if path.ends_with("testing.rs") {
                continue;
            }
            // PartnerUnit tests refuse made-up fields.
            let source = source
                .split("#[cfg(test)]\nmod tests")
                .next()
                .unwrap_or_default();
            for part in source.split("invalid(").skip(1) {
                let mut args = part.splitn(3, ',');
                if let Some(field) = args.next().and_then(quoted) {
                    fields.insert(field);
                }
                if let Some(reason) = args.next().and_then(|a| quoted(a.split(')').next()?)) {
                    reasons.insert(reason);
                }
            }
            for check in ["required_text(", "optional_text(", "plain_date("] {
                for part in source.split(check).skip(1) {
                    if let Some(field) = quoted(part) {
                        fields.insert(field);
                    }
                }
            }
        }
        for shared in ["required", "too_long", "bad_chars", "bad_value"] {
            reasons.insert(shared.to_owned());
        }
        assert!(
            fields.len() > 50 && reasons.len() > 20,
            "{fields:?} {reasons:?}"
        );
        (fields.into_iter().collect(), reasons.into_iter().collect())
    }

    #[test]
    fn every_built_key_is_in_both_languages() {
        let known = super::tests::known_keys();
        let mut missing = Vec::new();
        for (prefix, values) in completions() {
            assert!(!values.is_empty(), "{prefix}: no values");
            for value in values {
                let key = format!("{prefix}.{value}");
                if !known.contains(&key) {
                    missing.push(key);
                }
            }
        }
        assert!(missing.is_empty(), "not in the catalogue: {missing:?}");
    }

    /// A new `format!("prefix.{…}")` lookup must name its values in `completions` above.
    #[test]
    fn every_built_key_prefix_is_listed() {
        let listed: Vec<&str> = completions().iter().map(|(p, _)| *p).collect();
        let mut found = 0;
        for (path, source) in super::tests::sources(&super::tests::crate_dir()) {
            for part in source.split("&format!(\"").skip(1) {
                let text = part.split('"').next().unwrap_or_default();
                let Some((prefix, _)) = text.split_once(".{") else {
                    continue;
                };
                if prefix.contains(['{', ' ', '/']) {
                    continue;
                }
                found += 1;
                assert!(
                    listed.contains(&prefix),
                    "{}: keys {prefix}.… are built but their values are not listed",
                    path.display()
                );
            }
        }
        assert!(found > 20, "found only {found} built keys");
    }

    use crate::error::AppError;
}
