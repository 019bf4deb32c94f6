#!/usr/bin/env bash
# Set-up and run for Brandifiers. Idempotent: a second run reuses what is installed.
#   scripts/brandifiers.sh run    set up, migrate, seed demo data if empty, serve http://localhost:3000
#   scripts/brandifiers.sh scale  the same on PostgreSQL + Redis: 2 web workers and the separate scheduler
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

app_deps() {  # the app's packages; a current install of the test requirements (a superset) will do
  local want; want="$(cat requirements*.txt | sha256sum | cut -d' ' -f1)"
  if [ -f "$VENV/.installed-requirements-test.txt" ] && [ "$(cat "$VENV/.installed-requirements-test.txt")" = "$want" ]
  then return; fi
  python_deps requirements.txt
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
  app_deps
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

scale_env() {  # the scale-out settings (README, "Scale-out"); a variable set by the caller wins
  export REFLEX_DB_URL="${REFLEX_DB_URL:-postgresql://postgres@127.0.0.1:5432/brandifiers}"
  export REFLEX_REDIS_URL="${REFLEX_REDIS_URL:-redis://127.0.0.1:6379/0}"
  export GRANIAN_WORKERS="${GRANIAN_WORKERS:-2}"  # Reflex's default is 2 x cores + 1: slower here (ENVIRONMENT.md)
  export REFLEX_USE_GRANIAN="${REFLEX_USE_GRANIAN:-1}"  # else Reflex picks gunicorn when it and uvicorn are installed
  export BRANDIFIERS_SCHEDULER=separate  # no scheduler in the web workers: the process started below runs the jobs
}

cmd_scale() {  # one PostgreSQL database, Redis for the state, GRANIAN_WORKERS web workers, one scheduler process
  app_deps
  js_tools
  reflex_env
  scale_env
  "$PY" -c 'import os, sys, redis
url = os.environ["REFLEX_REDIS_URL"]
try:
    redis.Redis.from_url(url, socket_connect_timeout=3).ping()
except redis.RedisError as exc:
    sys.exit(f"Redis does not answer at {url} ({exc}): start it or set REFLEX_REDIS_URL.")'
  say "creating (if missing) and migrating the database ($REFLEX_DB_URL)"
  "$PY" -m brandifiers.migrations --create
  "$PY" -m brandifiers.seed --scale demo   # does nothing when the database already has users
  say "starting the scheduler (python -m brandifiers.jobs) and $GRANIAN_WORKERS web workers; Ctrl-C stops both"
  "$PY" -m brandifiers.jobs &
  SCHEDULER_PID=$!
  reflex run --env prod &
  WEB_PID=$!
  # Background jobs of a script ignore Ctrl-C's SIGINT: pass it on to both as SIGTERM.
  trap 'kill -TERM "$WEB_PID" "$SCHEDULER_PID" 2>/dev/null || true' INT TERM
  local status=0
  wait -n "$WEB_PID" "$SCHEDULER_PID" || status=$?  # the first to end (or Ctrl-C)...
  kill -TERM "$WEB_PID" "$SCHEDULER_PID" 2>/dev/null || true  # ...ends the other
  wait "$WEB_PID" "$SCHEDULER_PID" 2>/dev/null || true
  return "$status"
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
  say "end-to-end tests of the scale-out deployment (brandifiers.sh scale on PostgreSQL and Redis database 12)"
  "$PY" -m pytest tests/e2e_multiworker -q -p no:logging -rs "$@"  # -rs: says why when skipped
}

case "${1:-}" in
  run) shift; cmd_run "$@" ;;
  scale) shift; cmd_scale "$@" ;;
  test) shift; cmd_test "$@" ;;
  setup) app_deps; js_tools ;;
  *) echo "usage: $0 run|scale|test|setup" >&2; exit 2 ;;
esac
