#!/usr/bin/env bash
# Starts compose.yaml for real and checks what docs/deploy.md promises: the image builds from the
# lock file, `setup` migrates and exits, the web server answers, two task workers run, and work
# enqueued through the web container is done by a worker, by the other one when one is stopped.
#
#   bash scripts/compose-check.sh        (CI runs it after the test suite: .ci/run)
#
# It needs a Docker engine with the compose plugin. As root on Debian it installs and starts one
# (docker.io, and the compose v2 plugin from Debian's own archive) when none is running. Where
# Docker Hub cannot be reached it builds stand-ins for python:3.11-slim and postgres:15 from
# Debian's packages (debootstrap), so the check runs on machines that reach only Debian's mirror.
# With no engine to be had it says SKIPPED and why, and exits 0 unless SOCIALGUARD_REQUIRE_DOCKER=1;
# any other failure exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."

skip() {
  if [ "${SOCIALGUARD_REQUIRE_DOCKER:-0}" = 1 ]; then echo "compose check FAILED: $1" >&2; exit 1; fi
  echo "compose check SKIPPED: $1"
  exit 0
}
step() { echo "== compose check: $*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else return 1; fi; }

# Debian trixie's compose v2 plugin (a static Go binary); bookworm ships only compose v1, which
# cannot read the compose specification's top-level `name`.
COMPOSE_DEB=pool/main/d/docker-compose/docker-compose_2.26.1-4_amd64.deb
COMPOSE_SHA256=$(cat scripts/containers/docker-compose-deb.sha256)
STANDIN_PYTHON=socialguard-standin/python:3.11-bookworm
STANDIN_POSTGRES=socialguard-standin/postgres:15

ensure_engine() {
  docker info >/dev/null 2>&1 && return 0
  if ! command -v dockerd >/dev/null; then
    step "installing Debian's docker.io"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null 2>&1 \
      || { as_root apt-get update -qq >/dev/null 2>&1 \
           && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null 2>&1; } \
      || skip "no Docker engine, and docker.io could not be installed"
  fi
  step "starting dockerd"
  as_root sh -c 'nohup dockerd >/tmp/socialguard-dockerd.log 2>&1 &' || skip "dockerd could not be started"
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && return 0; sleep 1; done
  skip "dockerd did not start: $(tail -n 3 /tmp/socialguard-dockerd.log 2>/dev/null | tr '\n' ' ')"
}

ensure_compose_plugin() {
  docker compose version >/dev/null 2>&1 && return 0
  step "installing the compose v2 plugin from Debian's archive"
  local tmp; tmp=$(mktemp -d)
  curl -fsS "http://deb.debian.org/debian/$COMPOSE_DEB" -o "$tmp/compose.deb" || { rm -rf "$tmp"; skip "the compose plugin could not be downloaded"; }
  echo "$COMPOSE_SHA256  $tmp/compose.deb" | sha256sum -c --quiet - || { rm -rf "$tmp"; echo "compose plugin: checksum mismatch" >&2; exit 1; }
  dpkg-deb -x "$tmp/compose.deb" "$tmp/x"
  mkdir -p "$HOME/.docker/cli-plugins"
  install -m 0755 "$tmp/x/usr/libexec/docker/cli-plugins/docker-compose" "$HOME/.docker/cli-plugins/docker-compose"
  rm -rf "$tmp"
  docker compose version >/dev/null
}

# The base images: Docker Hub's when it answers, otherwise stand-ins built from Debian.
choose_base_images() {
  if docker image inspect python:3.11-slim >/dev/null 2>&1 || timeout 120 docker pull -q python:3.11-slim >/dev/null 2>&1; then
    export PYTHON_IMAGE=python:3.11-slim
  else
    if ! docker image inspect "$STANDIN_PYTHON" >/dev/null 2>&1; then
      step "Docker Hub unreachable: building $STANDIN_PYTHON with debootstrap"
      command -v debootstrap >/dev/null || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
      local root; root=$(mktemp -d)
      as_root debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates bookworm "$root" http://deb.debian.org/debian >/dev/null
      # As python:3.11-slim: `python` and `pip` on PATH under /usr/local.
      as_root chroot "$root" python3 -m venv /usr/local
      # This machine's trust store, so a build behind a TLS-inspecting proxy can reach the registry.
      as_root cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
      as_root rm -rf "$root/var/cache/apt/archives" "$root/var/lib/apt/lists"
      as_root tar -C "$root" -c . | docker import -c 'ENV LANG=C.UTF-8' \
        -c 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin' - "$STANDIN_PYTHON" >/dev/null
      as_root rm -rf "$root"
    fi
    export PYTHON_IMAGE=$STANDIN_PYTHON
  fi
  if docker image inspect postgres:15 >/dev/null 2>&1 || timeout 120 docker pull -q postgres:15 >/dev/null 2>&1; then
    export POSTGRES_IMAGE=postgres:15
  else
    step "Docker Hub unreachable: building $STANDIN_POSTGRES from Debian's postgresql-15"
    docker build -q --build-arg BASE_IMAGE="$PYTHON_IMAGE" -t "$STANDIN_POSTGRES" scripts/containers/postgres >/dev/null
    export POSTGRES_IMAGE=$STANDIN_POSTGRES
  fi
}

ensure_engine
ensure_compose_plugin
choose_base_images
echo "base images: $PYTHON_IMAGE, $POSTGRES_IMAGE"

project=socialguard-check
SECRETS_DIR=$(mktemp -d)
export SECRETS_DIR
WEB_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export WEB_PORT
compose() { docker compose -p "$project" -f compose.yaml "$@"; }
cleanup() {
  status=$?
  if [ "$status" != 0 ]; then compose ps -a || true; compose logs --tail 40 || true; fi
  compose down -v --remove-orphans >/dev/null 2>&1 || true
  rm -rf "$SECRETS_DIR"
}
trap cleanup EXIT

step "building the image from requirements-deploy.lock"
compose build -q || { echo "the image build failed (a network hiccup?): once more"; compose build -q; }
# The keys, made as docs/deploy.md says (the image makes two of them).
python3 -c 'import secrets; print(secrets.token_urlsafe(64))' > "$SECRETS_DIR/secret_key"
docker run --rm --entrypoint socialguard socialguard:local vault generate-key > "$SECRETS_DIR/vault_key"
docker run --rm --entrypoint socialguard socialguard:local audit generate-key > "$SECRETS_DIR/audit_key"
chmod 0644 "$SECRETS_DIR"/*  # read by the image's unprivileged user

step "docker compose up"
compose up -d

step "waiting for the web server"
for _ in $(seq 90); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$WEB_PORT/account/sign-in/" || true)
  [ "$code" = 200 ] && break
  sleep 2
done
[ "$code" = 200 ] || { echo "the sign-in page answered $code, not 200" >&2; exit 1; }
[ "$(compose ps -a --format '{{.Service}} {{.State}} {{.ExitCode}}' | grep '^setup ')" = "setup exited 0" ] \
  || { echo "setup did not exit 0" >&2; exit 1; }
curl -fsS -o /dev/null "http://127.0.0.1:$WEB_PORT/static/socialguard/site.css" || { echo "static files are not served" >&2; exit 1; }

running_workers=$(compose ps --status running --format '{{.Service}}' | grep -c '^worker$' || true)
[ "$running_workers" = 2 ] || { echo "$running_workers workers running, not 2" >&2; exit 1; }
echo "web answers; setup exited 0; 2 workers running"

# Enqueue the audit checkpoint from the web container; answer which worker ran it.
run_one_task() {
  compose exec -T web socialguard manage shell -c '
import time
from django_tasks_db.models import DBTaskResult
from socialguard.audit.tasks import write_daily_checkpoint
result = write_daily_checkpoint.enqueue()
for _ in range(120):
    row = DBTaskResult.objects.get(id=result.id)
    if row.status in ("SUCCESSFUL", "FAILED"):
        break
    time.sleep(0.5)
assert row.status == "SUCCESSFUL", row.status
print("worker", row.worker_ids[-1])
' 2>/dev/null | sed -n 's/^worker //p'
}
worker_container() {  # the worker container whose log shows this worker id
  for c in $(compose ps -q worker); do
    # grep reads the whole log (no -q): with pipefail, grep -q leaving early fails `docker logs` with
    # SIGPIPE once the log outgrows the pipe's buffer, and the check with it (exit 141).
    docker logs "$c" 2>&1 | grep -F "worker_id=$1" >/dev/null && { echo "$c"; return; }
  done
  return 0  # none: the caller says so
}

step "a task enqueued by the web container"
first=$(run_one_task)
[ -n "$first" ] || { echo "the task was not run" >&2; exit 1; }
container=$(worker_container "$first")
[ -n "$container" ] || { echo "no worker container ran worker $first" >&2; exit 1; }
echo "run by worker $first ($(docker inspect -f '{{.Name}}' "$container"))"

step "stopping that worker: the other one takes the next task"
docker stop -t 20 "$container" >/dev/null
second=$(run_one_task)
[ -n "$second" ] && [ "$second" != "$first" ] || { echo "the second task was not run by the other worker" >&2; exit 1; }
echo "run by worker $second"
echo "compose check passed: image built, setup, web, two workers each doing work"
