//! `code_enum!`: an enum of fixed values stored as a code and shown by its Chinese term.

macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $code:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name { $($variant),+ }

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
