//! 会议记录: a branch's 三会一课 and 主题党日 are meetings, not activities people sign up for.
//! Who should attend (应到) is the branch's roster at the meeting's start — its committee for a
//! 支委会 — computed, never signed up for; each person on it has a roll row (a confirmed signup,
//! made when first needed) that carries their check-in, their mark (实到/请假/缺席) and any leave
//! they asked for (请假, approved by the organiser). The minutes (主持人, 记录人, topic, what was
//! said) are kept with it, and the whole prints as the A4 会议记录.
mod leave;
mod minutes;
mod photos;
mod record;
mod roll;

pub use leave::{ask_leave, decide_leave, may_withdraw, my_roll, withdraw_leave, MyRoll};
pub use minutes::{save_minutes, MinutesInput, MINUTES_MAX};
pub use photos::{
    add_photos, may_add_photos, photo_file, remove_photo, NewPhoto, Photo, PhotoFile, PHOTOS_MAX,
};
pub use record::{meeting_record, MeetingRecord, Minutes, RollEntry};
pub use roll::mark_roll;
pub(crate) use roll::{expected, is_meeting, roll_is_kept, roll_row, sync_roll};
