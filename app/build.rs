//! The translation catalogue is read at compile time by `rust_i18n::i18n!`; rebuild when it
//! changes, not only when Rust code does.
fn main() {
    println!("cargo:rerun-if-changed=locales");
}
