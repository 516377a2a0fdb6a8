//! zh-CN first, English second. The catalogue is `locales/app.yml` (both languages side by side).
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

/// The text of `key` in `lang`.
pub fn t(lang: Lang, key: &str) -> String {
    rust_i18n::t!(key, locale = lang.code()).into_owned()
}

/// The text of `key` with `%{name}` placeholders filled in.
pub fn t_with(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    args.iter().fold(t(lang, key), |text, (name, value)| {
        text.replace(&format!("%{{{name}}}"), value)
    })
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
    fn both_languages_have_the_login_texts() {
        assert_eq!(t(Lang::Zh, "login.title"), "登录");
        assert_eq!(t(Lang::En, "login.title"), "Log in");
        assert_eq!(t(Lang::Zh, "error.forbidden"), "无权访问");
    }

    #[test]
    fn every_key_exists_in_both_languages() {
        let catalogue = include_str!("../locales/app.yml");
        let mut key = None;
        let mut langs = Vec::new();
        let check = |key: &Option<String>, langs: &Vec<String>| {
            if let Some(k) = key {
                assert!(langs.contains(&"zh-CN".to_owned()), "{k} lacks zh-CN");
                assert!(langs.contains(&"en".to_owned()), "{k} lacks en");
            }
        };
        for line in catalogue.lines().filter(|l| !l.starts_with('_')) {
            if !line.starts_with(' ') && line.ends_with(':') {
                check(&key, &langs);
                key = Some(line.trim_end_matches(':').to_owned());
                langs.clear();
            } else if let Some((lang, _)) = line.trim().split_once(':') {
                langs.push(lang.to_owned());
            }
        }
        check(&key, &langs);
        assert!(key.is_some());
    }

    /// A key given twice would silently replace the first text (one feature's wording
    /// overwriting another's).
    #[test]
    fn no_key_is_given_twice() {
        let catalogue = include_str!("../locales/app.yml");
        let mut seen = std::collections::HashSet::new();
        for key in catalogue
            .lines()
            .filter(|l| !l.starts_with([' ', '_']) && l.ends_with(':'))
        {
            assert!(seen.insert(key), "{key} is in the catalogue twice");
        }
        assert!(seen.len() > 100);
    }

    /// Every literal key the code looks up is in the catalogue.
    #[test]
    fn every_key_the_code_uses_exists() {
        let catalogue = include_str!("../locales/app.yml");
        let known: Vec<&str> = catalogue
            .lines()
            .filter(|l| !l.starts_with([' ', '_']) && l.ends_with(':'))
            .map(|l| l.trim_end_matches(':'))
            .collect();
        let mut files = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))];
        let mut checked = 0;
        while let Some(path) = files.pop() {
            if path.is_dir() {
                let entries = std::fs::read_dir(&path).expect("source dir");
                files.extend(entries.map(|e| e.expect("entry").path()));
                continue;
            }
            let source = std::fs::read_to_string(&path).expect("source file");
            for marker in ["t(lang, \"", "t_with(lang, \""] {
                for part in source.split(marker).skip(1) {
                    let key = part.split('"').next().unwrap_or_default();
                    assert!(
                        known.contains(&key),
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
