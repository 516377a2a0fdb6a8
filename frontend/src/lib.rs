//! The wasm entry: hydrates the interactive islands of server-rendered pages.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // Make sure the islands are linked into the bundle.
    #[allow(unused_imports)]
    use app::*;
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
