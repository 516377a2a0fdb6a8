# Shared by scripts/run and scripts/test: pinned tool versions and installing what is missing.
# Every step says what it does; nothing is downloaded except from the package registries.
set -euo pipefail

CARGO_LEPTOS_VERSION=0.3.11
CARGO_DENY_VERSION=0.20.2
WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen pinned in Cargo.toml
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# A target dir outside the repo survives fresh clones (CI) and keeps rebuilds incremental.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/gongjian-target}

say() { printf '\n==> %s\n' "$*"; }

# Free space (GB) on the filesystem holding the target dir.
free_gb() {
  local dir=$CARGO_TARGET_DIR
  while [ ! -d "$dir" ]; do dir=$(dirname "$dir"); done
  df -Pk "$dir" | awk 'NR == 2 {print int($4 / 1048576)}'
}

# A full debug build and test needs ~10 GB, and room for the test databases while they run
# (20 GB leaves a margin: a run with 23 GB free filled the disk). A target dir kept across
# runs grows with every dependency change; when the disk runs short, its incremental caches go
# first, then all of it (a slower build beats one that fails half-way with "No space left on
# device").
ensure_disk_space() {
  local need=${1:-20}
  # Test databases an interrupted run left behind an hour ago or more (a finished test
  # removes its own; a run going on beside this one keeps its newer ones).
  find "${TMPDIR:-/tmp}" -maxdepth 1 -name 'gongjian-test-*' -mmin +60 -exec rm -rf {} +
  [ "$(free_gb)" -ge "$need" ] && return 0
  say "only $(free_gb) GB free: removing the incremental build caches"
  rm -rf "$CARGO_TARGET_DIR"/*/incremental "$CARGO_TARGET_DIR"/*/*/incremental
  [ "$(free_gb)" -ge "$need" ] && return 0
  say "still only $(free_gb) GB free: removing the whole target dir ($CARGO_TARGET_DIR)"
  rm -rf "$CARGO_TARGET_DIR"
  if [ "$(free_gb)" -lt "$need" ]; then
    say "warning: $(free_gb) GB free, the build needs ~$need GB; it may fail for want of space"
  fi
}

ensure_rust_tools() {
  if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
    say "adding rustfmt and clippy"
    rustup component add rustfmt clippy
  fi
  if ! rustup target list --installed | grep -q wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown Rust target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION (once per machine, ~16 min)"
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --ignore-rust-version
  fi
  if ! cargo deny --version 2>/dev/null | grep -q "$CARGO_DENY_VERSION"; then
    say "installing cargo-deny $CARGO_DENY_VERSION (once per machine, ~6 min)"
    cargo install cargo-deny --version "$CARGO_DENY_VERSION" --locked
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (once per machine, ~3 min)"
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
}

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

ensure_python_tools() {
  # aiosmtpd: the real SMTP server the e-mail channel's test sends to (server/tests/channels.rs).
  local venv="$HOME/.cache/gongjian-py"
  if ! "$venv/bin/python" -c 'import aiosmtpd' 2>/dev/null; then
    say "installing aiosmtpd into $venv (once per machine)"
    rm -rf "$venv"
    python3 -m venv "$venv" 2>/dev/null || { apt_install python3-venv && /usr/bin/python3 -m venv "$venv"; }
    "$venv/bin/pip" install --quiet --disable-pip-version-check "aiosmtpd==1.4.6"
  fi
  export GONGJIAN_TEST_PYTHON="$venv/bin/python"
}

ensure_node_modules() {
  # Playwright (driving Debian's Chromium) and binaryen's wasm-opt for release builds.
  local stamp="$REPO_ROOT/end2end/node_modules/.installed-lock"
  local lock
  lock=$(sha256sum "$REPO_ROOT/end2end/package-lock.json" | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$lock" ]; then
    say "installing end2end npm packages (npm ci)"
    (cd "$REPO_ROOT/end2end" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$lock" > "$stamp"
  fi
  # Debian's wasm-opt breaks release wasm; the npm binaryen one must come first on PATH.
  export PATH="$REPO_ROOT/end2end/node_modules/.bin:$PATH"
}
