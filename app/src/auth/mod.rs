//! Logging in and out, and the language choice. These server functions are form endpoints:
//! they answer with a redirect, so they work without JavaScript.
#[cfg(feature = "ssr")]
mod page;
#[cfg(feature = "ssr")]
pub use page::LoginPage;
#[cfg(feature = "ssr")]
pub(crate) mod fns;
#[cfg(feature = "ssr")]
pub use fns::{login, logout, set_language};

/// Only same-site paths are followed after a form post (no open redirects).
pub fn local_path(back: &str) -> String {
    let ok = back.starts_with('/')
        && !back.starts_with("//")
        && !back.contains('\\')
        && !back.chars().any(char::is_control)
        && back.len() <= 512;
    if ok {
        back.to_owned()
    } else {
        "/".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path("/org/abc"), "/org/abc");
        assert_eq!(local_path("//evil.example"), "/");
        assert_eq!(local_path("https://evil.example"), "/");
        assert_eq!(local_path("/\\evil"), "/");
    }
}
