//! `code_enum!`: an enum of fixed values stored as a code and shown by its Chinese term. Its
//! columns hold the enum itself (sea-orm's string `ActiveEnum`): a stored code that is none of
//! its values fails the read instead of turning into some default.

macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $code:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
            sea_orm::EnumIter, sea_orm::DeriveActiveEnum,
        )]
        #[sea_orm(rs_type = "String", db_type = "Text")]
        pub enum $name { $(#[sea_orm(string_value = $code)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored code.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The Chinese term used in the UI and in import files.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Accepts the code or the Chinese term.
            pub fn parse(value: &str) -> Option<$name> {
                let value = value.trim();
                Self::ALL.iter().copied().find(|v| v.as_str() == value || v.label() == value)
            }
        }
    };
}

/// `stored_enum!`: an enum of fixed values stored as a code that the UI names through the
/// catalogue (no Chinese term of its own). Stored the same way as `code_enum!`.
macro_rules! stored_enum {
    ($(#[$meta:meta])* $vis:vis $name:ident { $($variant:ident => $code:literal,)+ }) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
            sea_orm::EnumIter, sea_orm::DeriveActiveEnum,
        )]
        #[sea_orm(rs_type = "String", db_type = "Text")]
        $vis enum $name { $(#[sea_orm(string_value = $code)] $variant),+ }

        impl $name {
            pub const ALL: [$name; [$($code),+].len()] = [$($name::$variant),+];

            /// The stored code.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// Accepts the stored code only.
            pub fn parse(value: &str) -> Option<$name> {
                Self::ALL.into_iter().find(|v| v.as_str() == value)
            }
        }
    };
}
