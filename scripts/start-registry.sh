#!/usr/bin/env bash
# Run Debian's docker-registry (CNCF distribution v2.8, package "docker-registry") in the foreground
# on 127.0.0.1:PORT only, storing into a throwaway directory, optionally with htpasswd Basic auth.
#
# Usage: scripts/start-registry.sh PORT [HTPASSWD_FILE]
#   HTPASSWD_FILE  bcrypt entries (htpasswd -nbB USER PASS from apache2-utils); enables auth
# Environment:
#   REGISTRY_DIR   directory for config.yml and storage/ (default: a new mktemp -d, printed on stderr;
#                  the caller removes it)
#   REGISTRY_BIN   the registry binary (default: docker-registry on PATH)
# The script execs the registry, so its PID is the registry's: stop it with kill PID.
# Example (background, for CI):  scripts/start-registry.sh 5000 & pid=$!; ...; kill "$pid"
set -euo pipefail

port=${1:-}
htpasswd=${2:-}
if [[ ! $port =~ ^[0-9]+$ ]] || (( port < 1 || port > 65535 )); then
  echo "usage: $0 PORT [HTPASSWD_FILE]" >&2
  exit 2
fi
bin=${REGISTRY_BIN:-$(command -v docker-registry || true)}
if [[ -z $bin || ! -x $bin ]]; then
  echo "$0: docker-registry not found: apt-get install -y docker-registry" >&2
  exit 127
fi
dir=${REGISTRY_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/registry.XXXXXX")}
mkdir -p "$dir/storage"
[[ -n ${REGISTRY_DIR:-} ]] || echo "registry storage: $dir" >&2

auth=""
if [[ -n $htpasswd ]]; then
  if [[ ! -r $htpasswd ]]; then echo "$0: cannot read htpasswd file $htpasswd" >&2; exit 2; fi
  htpasswd=$(cd "$(dirname "$htpasswd")" && pwd)/$(basename "$htpasswd")
  auth="auth:
  htpasswd:
    realm: kimia-bundles-test-registry
    path: \"$htpasswd\""
fi

cat > "$dir/config.yml" <<YAML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: "$dir/storage"
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:$port
  secret: $(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
$auth
YAML

exec "$bin" serve "$dir/config.yml"
