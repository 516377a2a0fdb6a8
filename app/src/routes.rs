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

/// The node's own page (a community's landing page, a street's overview…).
pub fn node(node: Uuid) -> Href {
    Href::under(node, "")
}

pub fn members(node: Uuid) -> Href {
    Href::under(node, "/members")
}

pub fn member(node: Uuid, member: Uuid) -> Href {
    Href::under(node, &format!("/members/{member}"))
}

pub fn member_edit(node: Uuid, member: Uuid) -> Href {
    Href::under(node, &format!("/members/{member}/edit"))
}

pub fn new_member(node: Uuid) -> Href {
    Href::under(node, "/members/new")
}

pub fn import(node: Uuid) -> Href {
    Href::under(node, "/members/import")
}

pub fn import_job(node: Uuid, job: impl fmt::Display) -> Href {
    Href::under(node, &format!("/members/import/{job}"))
}

pub fn floating(node: Uuid) -> Href {
    Href::under(node, "/members/floating")
}

pub fn care(node: Uuid) -> Href {
    Href::under(node, "/members/care")
}

pub fn transfers(node: Uuid) -> Href {
    Href::under(node, "/members/transfers")
}

pub fn reporting(node: Uuid) -> Href {
    Href::under(node, "/members/reporting")
}

pub fn feedback(node: Uuid) -> Href {
    Href::under(node, "/members/reporting/feedback")
}

pub fn units(node: Uuid) -> Href {
    Href::under(node, "/units")
}

pub fn unit(node: Uuid, unit: Uuid) -> Href {
    Href::under(node, &format!("/units/{unit}"))
}

pub fn needs(node: Uuid) -> Href {
    Href::under(node, "/needs")
}

pub fn projects(node: Uuid) -> Href {
    Href::under(node, "/projects")
}

pub fn meetings(node: Uuid) -> Href {
    Href::under(node, "/meetings")
}

pub fn meeting(node: Uuid, meeting: Uuid) -> Href {
    Href::under(node, &format!("/meetings/{meeting}"))
}

pub fn minutes(node: Uuid, meeting: Uuid) -> Href {
    Href::under(node, &format!("/meetings/{meeting}/minutes"))
}

pub fn sign_in_sheet(node: Uuid, meeting: Uuid) -> Href {
    Href::under(node, &format!("/meetings/{meeting}/sign-in-sheet"))
}

pub fn resolutions(node: Uuid) -> Href {
    Href::under(node, "/resolutions")
}

pub fn activities(node: Uuid) -> Href {
    Href::under(node, "/activities")
}

pub fn activity(node: Uuid, activity: Uuid) -> Href {
    Href::under(node, &format!("/activities/{activity}"))
}

pub fn check_in_code(node: Uuid, activity: Uuid) -> Href {
    Href::under(node, &format!("/activities/{activity}/code"))
}

pub fn points(node: Uuid) -> Href {
    Href::under(node, "/points")
}

pub fn compliance(node: Uuid) -> Href {
    Href::under(node, "/compliance")
}

pub fn volunteers(node: Uuid) -> Href {
    Href::under(node, "/volunteers")
}

pub fn team(node: Uuid, team: Uuid) -> Href {
    Href::under(node, &format!("/volunteers/{team}"))
}

pub fn dashboard(node: Uuid) -> Href {
    Href::under(node, "/dashboard")
}

/// A file the node's pages offer (`roster.xlsx`, `calendar/{id}.ics`…), served by plain
/// handlers beside the pages.
pub fn file(node: Uuid, name: impl fmt::Display) -> Href {
    Href::under(node, &format!("/{name}"))
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
