#!/usr/bin/env bash
# Set-up and run for Brandifiers. Idempotent: a second run reuses what is installed.
#   scripts/brandifiers.sh run    set up, migrate, seed demo data if empty, serve http://localhost:3000
#   scripts/brandifiers.sh test   set up (plus Chromium), run the whole test suite
#   scripts/brandifiers.sh setup  only install (app dependencies)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

BUN_VERSION=1.4.5
NODE_MAJOR=22
VENV="$ROOT/.venv"
TOOLS="$ROOT/.tools"
PY="$VENV/bin/python"

say() { printf '\033[1;35m==> %s\033[0m\n' "$*"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

python_deps() {  # $1: requirements file
  local req="$1" stamp="$VENV/.installed-$(basename "$1")"
  if [ ! -x "$PY" ]; then
    say "creating .venv"
    python3 -m venv "$VENV"
    "$PY" -m pip install --quiet --upgrade pip
  fi
  local want; want="$(cat requirements*.txt | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "installing Python packages from $req"
    "$PY" -m pip install --quiet -r "$req"
    echo "$want" > "$stamp"
  fi
}

js_tools() {  # bun and Node 22 from the npm registry into .tools (Reflex's own installer needs the internet)
  if [ ! -x "$TOOLS/bin/bun" ] || ! "$TOOLS/bin/node" --version 2>/dev/null | grep -q "^v$NODE_MAJOR\."; then
    say "installing bun $BUN_VERSION and Node $NODE_MAJOR into .tools"
    npm install -g --no-audit --no-fund --loglevel=error --prefix "$TOOLS" "bun@$BUN_VERSION" "node@$NODE_MAJOR"
  fi
}

chromium() {  # Debian's Chromium for the browser tests (Playwright never downloads a browser here)
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Debian's chromium"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium >/dev/null
  fi
}

reflex_env() {
  export PATH="$TOOLS/bin:$VENV/bin:$PATH"
  export REFLEX_USE_SYSTEM_BUN=1 REFLEX_CHECK_LATEST_VERSION=0 REFLEX_TELEMETRY_ENABLED=false
  export NPM_CONFIG_REGISTRY="${NPM_CONFIG_REGISTRY:-https://registry.npmjs.org}"
  export PYTHONUNBUFFERED=1
}

cmd_run() {
  python_deps requirements.txt
  js_tools
  reflex_env
  say "migrating the database (${REFLEX_DB_URL:-sqlite:///brandifiers.db})"
  "$PY" -m brandifiers.migrations
  "$PY" -m brandifiers.seed --scale demo   # does nothing when the database already has users
  if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then  # the last run's worker files would be summed in again
    mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
    find "$PROMETHEUS_MULTIPROC_DIR" -maxdepth 1 -type f -name '*.db' -delete
  fi
  say "starting Brandifiers at http://localhost:3000"
  exec reflex run --env prod
}

cmd_test() {
  python_deps requirements-test.txt
  js_tools
  chromium
  reflex_env
  if [ -z "${BRANDIFIERS_TEST_DB_URL:-}" ] && command -v pg_isready >/dev/null \
      && pg_isready -q -h 127.0.0.1 -p 5432; then
    export BRANDIFIERS_TEST_DB_URL="postgresql://postgres@127.0.0.1:5432/test"
  fi
  if [ -n "${BRANDIFIERS_TEST_DB_URL:-}" ]; then
    say "unit tests on SQLite and on PostgreSQL ($BRANDIFIERS_TEST_DB_URL)"
  else
    say "unit tests on SQLite (set BRANDIFIERS_TEST_DB_URL to add PostgreSQL)"
  fi
  say "lint (ruff, rules in pyproject.toml)"
  "$VENV/bin/ruff" check .
  "$PY" -m pytest tests/unit -q "$@"
  say "end-to-end tests in Chromium (screenshots in test-output/screenshots)"
  "$PY" -m pytest tests/e2e -q -p no:logging "$@"
}

case "${1:-}" in
  run) shift; cmd_run "$@" ;;
  test) shift; cmd_test "$@" ;;
  setup) python_deps requirements.txt; js_tools ;;
  *) echo "usage: $0 run|test|setup" >&2; exit 2 ;;
esac
