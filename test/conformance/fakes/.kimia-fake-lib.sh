# Shared helpers of the conformance fakes (sourced, POSIX sh: runs under dash and busybox ash).
#
# Every fake call gets a directory $KIMIA_FAKE_LOG/<nanoseconds>.<pid>.<tool>/ holding
#   record    NUL-separated key/value pairs: tool, arg (one per argv element, in order), cwd,
#             umask, fact:<name> (what the fake saw or answered), file:<name> (an attachment),
#             exit (the status it exits with, when it exits by itself)
#   environ   a copy of /proc/<pid>/environ (exactly the environment the caller passed)
#   status    a copy of /proc/<pid>/status (uid, gid, supplementary groups)
#   <name>    attachments (copied files or directories)
# Parsed by test/conformance/pod.ts (readCalls).
#
# Configuration: $KIMIA_FAKE_CONF (default /.kimia-harness/fake.env) is sourced if present; the
# harness writes it. KIMIA_FAKE_FAIL (env or conf) is a space-separated list of "tool" or
# "tool:subcommand" entries that make the matching call fail the way the real tool fails.

KF_TOOL=${0##*/}
KF_CONF=${KIMIA_FAKE_CONF:-/.kimia-harness/fake.env}
# shellcheck disable=SC1090
[ -r "$KF_CONF" ] && . "$KF_CONF"
KF_LOG=${KIMIA_FAKE_LOG:-/.kimia-harness/calls}
KF_FAIL=" ${KIMIA_FAKE_FAIL:-} ${FAKE_FAIL:-} "

kf_id=$(date +%s%N 2>/dev/null || echo 0)
KF_DIR="$KF_LOG/$kf_id.$$.$KF_TOOL"
if ! mkdir -p "$KF_DIR" 2>/dev/null; then
  # Nowhere to record: still behave like the tool, but say so once.
  echo "kimia-fake $KF_TOOL: cannot write its record under $KF_LOG" >&2
  KF_DIR=/dev/null/x
fi
KF_REC="$KF_DIR/record"

kf_field() { { printf '%s\0%s\0' "$1" "$2" >> "$KF_REC"; } 2>/dev/null || :; }
kf_fact() { kf_field "fact:$1" "$2"; }

# kf_begin "$@": the call's argv, cwd, umask, environment and credentials.
kf_begin() {
  kf_field tool "$KF_TOOL"
  for kf_a in "$@"; do kf_field arg "$kf_a"; done
  kf_field cwd "$(pwd -P 2>/dev/null || pwd)"
  kf_field umask "$(umask)"
  { cat "/proc/$$/environ" > "$KF_DIR/environ"; } 2>/dev/null || :
  { cat "/proc/$$/status" > "$KF_DIR/status"; } 2>/dev/null || :
}

# kf_attach NAME PATH: copy a file or directory into the record (what the tool was given).
kf_attach() {
  if [ -d "$2" ]; then
    mkdir -p "$KF_DIR/$1" 2>/dev/null && cp -R "$2/." "$KF_DIR/$1/" 2>/dev/null && kf_field "file:$1" "$1"
  elif [ -r "$2" ]; then
    cp "$2" "$KF_DIR/$1" 2>/dev/null && kf_field "file:$1" "$1"
  fi
  return 0
}

# kf_listing DIR: every path under DIR, relative ("./a", "./a/b"), sorted, one per line.
kf_listing() { (cd "$1" 2>/dev/null && find . -mindepth 1 -print 2>/dev/null | LC_ALL=C sort); }

# kf_exit CODE: record the status and exit with it.
kf_exit() { kf_field exit "$1"; exit "$1"; }

# kf_die CODE MESSAGE: the tool's error message on stderr, then exit CODE.
kf_die() { kf_fact error "$2"; printf '%s\n' "$2" >&2; kf_exit "$1"; }

# kf_failing SUB: true if KIMIA_FAKE_FAIL names this tool, or this tool:SUB.
kf_failing() {
  case $KF_FAIL in
    *" $KF_TOOL "*) return 0 ;;
  esac
  [ -n "${1:-}" ] || return 1
  case $KF_FAIL in
    *" $KF_TOOL:$1 "*) return 0 ;;
  esac
  return 1
}

# kf_sha256 TEXT: hex sha256 of TEXT (deterministic fake digests).
kf_sha256() { kf_h=$(printf '%s' "$1" | sha256sum); printf '%s' "${kf_h%% *}"; }

# kf_uid: the caller's real uid, from /proc (no fork of id).
kf_uid() {
  while read -r kf_k kf_v _; do
    [ "$kf_k" = "Uid:" ] && { printf '%s' "$kf_v"; return 0; }
  done < "/proc/$$/status"
  id -u
}

# kf_user UID: the user name /etc/passwd gives UID, or nothing.
kf_user() {
  [ -r /etc/passwd ] || return 0
  while IFS=: read -r kf_n _ kf_u _; do
    [ "$kf_u" = "$1" ] && { printf '%s' "$kf_n"; return 0; }
  done < /etc/passwd
  return 0
}

# kf_has_subid FILE UID: true if /etc/subuid-style FILE has a range for the user or uid.
kf_has_subid() {
  kf_name=$(kf_user "$2")
  [ -r "$1" ] || return 1
  while IFS=: read -r kf_n _ _; do
    [ -n "$kf_n" ] || continue
    [ "$kf_n" = "$2" ] && return 0
    [ -n "$kf_name" ] && [ "$kf_n" = "$kf_name" ] && return 0
  done < "$1"
  return 1
}

# kf_docker_config: record what $DOCKER_CONFIG/config.json (the registry auth) looked like.
kf_docker_config() {
  kf_dc="${DOCKER_CONFIG:-$HOME/.docker}/config.json"
  kf_fact docker_config_path "$kf_dc"
  if [ -e "$kf_dc" ]; then
    if [ -r "$kf_dc" ]; then kf_fact docker_config readable; kf_attach docker-config.json "$kf_dc"
    else kf_fact docker_config unreadable; fi
  else
    kf_fact docker_config absent
  fi
}
