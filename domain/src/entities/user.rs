use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub login_name: String,
    pub phone: Option<String>,
    pub display_name: String,
    pub password_hash: String,
    pub active: bool,
    pub created_at: DateTimeUtc,
    /// Set when someone else chose the password (a one-time password): the account must
    /// choose its own before anything else.
    pub must_change_password: bool,
    pub last_login_at: Option<DateTimeUtc>,
    pub password_changed_at: Option<DateTimeUtc>,
    /// Where messages are e-mailed too, if the person gave one.
    pub email: Option<String>,
    /// The mobile number a few kinds of message are texted to, if the person asked.
    pub sms_phone: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

shared_table!();
