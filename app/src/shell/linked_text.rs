//! Plain text as typed, line breaks kept, with its web addresses as links: never markup, so
//! `<b>` shows as `<b>`. Only http(s) addresses become links (no `javascript:`), and they open
//! without telling the other site where they came from.
use leptos::prelude::*;

/// The text in parts: (part, whether it is a web address).
pub fn linked_parts(text: &str) -> Vec<(&str, bool)> {
    let mut finder = linkify::LinkFinder::new();
    finder.kinds(&[linkify::LinkKind::Url]);
    // ASCII addresses only: Chinese text right after one (，请查收) stays text.
    finder.url_can_be_iri(false);
    finder
        .spans(text)
        .map(|span| {
            let url = span.kind().is_some()
                && (span.as_str().starts_with("https://") || span.as_str().starts_with("http://"));
            (span.as_str(), url)
        })
        .collect()
}

#[component]
pub fn LinkedText(text: String) -> impl IntoView {
    let parts = linked_parts(&text)
        .into_iter()
        .map(|(part, url)| {
            if url {
                view! { <a href=part.to_owned() rel="noopener noreferrer nofollow">{part.to_owned()}</a> }
                    .into_any()
            } else {
                part.to_owned().into_any()
            }
        })
        .collect_view();
    view! { <p class="minutes-text">{parts}</p> }
}

#[cfg(test)]
mod tests {
    use super::linked_parts;

    #[test]
    fn web_addresses_become_links_and_nothing_else_does() {
        let parts =
            linked_parts("会议材料见 https://example.cn/a?b=1 ，<b>请</b>查收 javascript:alert(1)");
        assert_eq!(
            parts,
            vec![
                ("会议材料见 ", false),
                ("https://example.cn/a?b=1", true),
                (" ，<b>请</b>查收 javascript:alert(1)", false),
            ]
        );
    }
}
