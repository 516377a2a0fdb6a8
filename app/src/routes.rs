//! Where the pages under `/org/:id` are, in one place: links and form redirects build their
//! addresses here, never by hand. The router's paths (`shell`) are the other half.
use std::fmt;

use uuid::Uuid;

/// A page's address, with what redirects add to it (`?saved=1`, a query, an `#anchor`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Href(String);

impl Href {
    fn under(node: Uuid, rest: &str) -> Href {
        Href(format!("/org/{node}{rest}"))
    }

    /// The same page at `#anchor` (the section a form sits in).
    pub fn at(self, anchor: &str) -> Href {
        Href(format!("{}#{anchor}", self.0))
    }

    /// With `key=value` added to the query (before any anchor).
    pub fn query(self, key: &str, value: impl fmt::Display) -> Href {
        let (path, anchor) = match self.0.split_once('#') {
            Some((path, anchor)) => (path.to_owned(), format!("#{anchor}")),
            None => (self.0, String::new()),
        };
        let separator = if path.contains('?') { '&' } else { '?' };
        Href(format!("{path}{separator}{key}={value}{anchor}"))
    }

    /// `given` when it is this page with a query of its own (a list's filters), else this page:
    /// a form's "back" field is followed no further than that.
    pub fn or_filtered(self, given: &str) -> Href {
        match given.strip_prefix(&self.0) {
            Some(query) if query.starts_with('?') && !query.contains('#') => Href(given.to_owned()),
            _ => self,
        }
    }

    /// After a save: the page says 已保存.
    pub fn saved(self) -> Href {
        self.query("saved", 1)
    }
}

impl fmt::Display for Href {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Href> for String {
    fn from(href: Href) -> String {
        href.0
    }
}

/// A node's page at `/org/{node}` + the path given.
macro_rules! node_pages {
    ($($name:ident => $path:literal,)*) => {
        $(pub fn $name(node: Uuid) -> Href {
            Href::under(node, $path)
        })*
    };
}

/// A page of one thing under a node: `/org/{node}` + the path, with the thing's id in it.
macro_rules! item_pages {
    ($($name:ident($id:ident: $ty:ty) => $path:literal,)*) => {
        $(pub fn $name(node: Uuid, $id: $ty) -> Href {
            Href::under(node, &format!($path, $id = $id))
        })*
    };
}

node_pages! {
    node => "",
    members => "/members",
    new_member => "/members/new",
    import => "/members/import",
    floating => "/members/floating",
    care => "/members/care",
    transfers => "/members/transfers",
    reporting => "/members/reporting",
    feedback => "/members/reporting/feedback",
    proposals => "/members/proposals",
    units => "/units",
    needs => "/needs",
    projects => "/projects",
    meetings => "/meetings",
    resolutions => "/resolutions",
    activities => "/activities",
    points => "/points",
    compliance => "/compliance",
    volunteers => "/volunteers",
    dashboard => "/dashboard",
    dues => "/dues",
    dues_totals => "/dues-totals",
    reviews => "/reviews",
    review_totals => "/review-totals",
    accounts => "/accounts",
    messages => "/messages",
    notices => "/notices",
    publish_notice => "/notices/publish",
}

item_pages! {
    member(member: Uuid) => "/members/{member}",
    member_edit(member: Uuid) => "/members/{member}/edit",
    member_dues(member: Uuid) => "/dues/{member}",
    branch_review(branch: Uuid) => "/reviews/{branch}",
    import_job(job: impl fmt::Display) => "/members/import/{job}",
    unit(unit: Uuid) => "/units/{unit}",
    meeting(meeting: Uuid) => "/meetings/{meeting}",
    minutes(meeting: Uuid) => "/meetings/{meeting}/minutes",
    sign_in_sheet(meeting: Uuid) => "/meetings/{meeting}/sign-in-sheet",
    activity(activity: Uuid) => "/activities/{activity}",
    check_in_code(activity: Uuid) => "/activities/{activity}/code",
    activity_live(activity: Uuid) => "/activities/{activity}/live",
    meeting_record(activity: Uuid) => "/activities/{activity}/record",
    team(team: Uuid) => "/volunteers/{team}",
    message(message: Uuid) => "/messages/{message}",
    notice(notice: Uuid) => "/notices/{notice}",
}

/// A file of a notice the node sent, for its staff.
pub fn sent_file(node: Uuid, notice: Uuid, file: Uuid) -> Href {
    Href::under(node, &format!("/notices/{notice}/files/{file}"))
}

/// A file of the notice a person's message is about, for them.
pub fn received_file(node: Uuid, message: Uuid, file: Uuid) -> Href {
    Href::under(node, &format!("/messages/{message}/files/{file}"))
}

/// The signed-in person's own account: their password and sessions.
pub fn account() -> Href {
    Href("/account".to_owned())
}

/// A file the node's pages offer (`roster.xlsx`, `calendar/{id}.ics`…), served by plain
/// handlers beside the pages.
pub fn file(node: Uuid, name: impl fmt::Display) -> Href {
    Href::under(node, &format!("/{name}"))
}

/// Where a meeting's photos are posted (multipart).
pub fn meeting_photos(node: Uuid, activity: Uuid) -> Href {
    Href::under(node, &format!("/activities/{activity}/record/photos"))
}

/// A photo of a meeting (its thumbnail with `thumb`), for those who may read the record.
pub fn meeting_photo(node: Uuid, activity: Uuid, photo: Uuid, thumb: bool) -> Href {
    let end = if thumb { "/thumb" } else { "" };
    Href::under(
        node,
        &format!("/activities/{activity}/record/photos/{photo}{end}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_goes_into_the_query_before_the_anchor() {
        let id = Uuid::nil();
        assert_eq!(
            members(id).saved().to_string(),
            format!("/org/{id}/members?saved=1")
        );
        assert_eq!(
            points(id)
                .query("year", 2026)
                .at("rules")
                .saved()
                .to_string(),
            format!("/org/{id}/points?year=2026&saved=1#rules")
        );
    }
}
