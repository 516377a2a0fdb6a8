//! 双报到: in-service members report to the community where they live and pick service posts
//! (岗位) it offers; the secretary confirms; at year end the community sends each employer unit a
//! feedback sheet (报到反馈).
mod feedback;
mod posts;
mod reports;

pub use feedback::{
    export_feedback, feedback, feedback_xlsx, hours, FeedbackRow, FeedbackSheet, FEEDBACK_HEADERS,
};
pub use posts::{posts, save_post, Post, PostInput};
pub(crate) use reports::report_for;
pub use reports::{
    decide, own_report, report, report_of, reports, Report, ReportStatus, MAX_POSTS,
};
