//! A message's words for a channel beyond the app (an e-mail, a group post), in Chinese, the
//! product's first language: a subject line and plain text, with the link to it in the app
//! when the deployment's public address is known.
use domain::kinds::MessageKind;
use domain::notices::{About, Outgoing};

use crate::i18n::{t, Lang};
use crate::routes;

pub struct Composed {
    pub subject: String,
    pub text: String,
}

/// `public_url`: where the app is reached (`https://…`, no trailing slash), for the link.
pub fn compose(item: &Outgoing, public_url: Option<&str>) -> Composed {
    let lang = Lang::Zh;
    let link = |href: routes::Href| public_url.map(|base| format!("{base}{href}"));
    let (subject, mut text, href) = match item.about {
        About::Notice => (
            format!("【{}】{}", item.from, item.title),
            format!("{}\n\n{}", item.title, item.body),
            link(routes::messages(item.node)),
        ),
        _ => {
            let kind = t(lang, &format!("messages.kind.{}", item.kind.as_str()));
            let subject = match item.title.is_empty() {
                true => format!("【{}】{kind}", item.from),
                false => format!(
                    "【{}】{kind}：{}",
                    item.from,
                    super::told::shortened(&item.title)
                ),
            };
            let told = super::told::told(
                lang,
                item.kind,
                item.title.clone(),
                item.about.clone(),
                item.node,
            );
            let mut text = told.as_ref().map(|t| t.text.clone()).unwrap_or_default();
            if let Some(note) = told.as_ref().and_then(|t| t.note.clone()) {
                text = format!("{text}\n{note}");
            }
            (subject, text, told.and_then(|t| link(t.href)))
        }
    };
    text.push_str(&format!("\n\n—— {}", item.from));
    if let Some(href) = href {
        text.push_str(&format!("\n{}：{href}", t(lang, "messages.open_in_app")));
    }
    if item.kind != MessageKind::Notice {
        text.push_str(&format!("\n{}", t(lang, "messages.settings_where")));
    }
    Composed { subject, text }
}
