//! Org pages: the landing redirect and one page per org node (district, street, community).
//! Data is read on the server through `domain::overview`, which authorises every view.
#[cfg(feature = "ssr")]
pub(crate) mod fns;
#[cfg(feature = "ssr")]
mod home;
#[cfg(feature = "ssr")]
mod node;

#[cfg(feature = "ssr")]
pub use fns::save_placement;
#[cfg(feature = "ssr")]
pub use home::HomePage;
#[cfg(feature = "ssr")]
pub use node::NodePage;
