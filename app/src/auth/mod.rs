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

#[cfg(feature = "ssr")]
/// `&next=…` to carry a page to go to after login through the login page, when there is one.
pub fn next_query(next: &str) -> String {
    match local_path(next).as_str() {
        "/" => String::new(),
        path => {
            let encoded: String = form_urlencoded::byte_serialize(path.as_bytes()).collect();
            format!("&next={encoded}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[cfg(feature = "ssr")]
    #[test]
    fn the_page_to_return_to_is_carried_only_when_local() {
        use super::next_query;
        assert_eq!(
            next_query("/org/a/messages/b"),
            "&next=%2Forg%2Fa%2Fmessages%2Fb"
        );
        assert_eq!(next_query("https://evil.example"), "");
        assert_eq!(next_query(""), "");
    }

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path("/org/abc"), "/org/abc");
        assert_eq!(local_path("//evil.example"), "/");
        assert_eq!(local_path("https://evil.example"), "/");
        assert_eq!(local_path("/\\evil"), "/");
    }
}
