#!/bin/sh
# The commands of docs/deployment.md, run for real in a folder standing for /
# (ROOT): the same modes, the same order. tests/deploy.rs runs it.
#
#   docs/deployment-check.sh [BINARY] [ROOT]
#
# BINARY  an ir-committee binary (default: target/release/ir-committee)
# ROOT    an empty or missing folder standing for / (default: a new temporary
#         folder, removed at the end)
#
# Without root: folder, umask, init, audit seal-key, users, check, audit --verify,
# backups.
# As root it also installs the binary setgid to a numeric group
# (IRC_CHECK_GID, default 64242: no group is created, /etc is not touched)
# and checks, as the user nobody, that the database is reachable only
# through the setgid binary. The binary reads its configuration from a path
# fixed at build time (/etc/ir-committee/config; `BINARY --version` names
# it): the checks through the setgid binary run only when that path is
# ROOT's, never on this machine's own configuration, so they need a binary
# built for ROOT:
#   IR_COMMITTEE_CONFIG_PATH=/tmp/irc-root/etc/ir-committee/config \
#     cargo build --release --target-dir target/deploy-check
#   docs/deployment-check.sh target/deploy-check/release/ir-committee /tmp/irc-root
# Prints OK at the end; a failing step stops it with a line naming it.
set -eu

BIN=${1:-target/release/ir-committee}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
if [ -n "${2:-}" ]; then
    ROOT=$2
    mkdir -p "$ROOT"
    CLEAN=
else
    ROOT=$(mktemp -d)
    CLEAN=$ROOT
fi
ROOT=$(cd "$ROOT" && pwd)
trap '[ -n "$CLEAN" ] && rm -rf "$CLEAN"' EXIT

fail() { echo "deployment-check: FAILED: $*" >&2; exit 1; }
step() { echo "-- $*"; }

[ -x "$BIN" ] || fail "no binary at $BIN (cargo build --release)"
# The configuration the binary reads when it runs setgid (fixed at build time).
READS=$("$BIN" --version | sed -n 's/^setgid configuration: //p')
[ -n "$READS" ] || fail "$BIN --version names no setgid configuration"
GID=${IRC_CHECK_GID:-64242}
ME=$(id -un)
IS_ROOT=no
[ "$(id -u)" -eq 0 ] && IS_ROOT=yes

ETC=$ROOT/etc/ir-committee
SRV=$ROOT/srv/ir-committee
BINDIR=$ROOT/usr/local/bin
DB=$SRV/committee.sqlite
KEY=$ETC/audit.key
# Everything but what the binary is run with: no stray database or key.
unset IR_COMMITTEE_DB IR_COMMITTEE_AUDIT_KEY_FILE IR_COMMITTEE_PSEUDONYM_KEY_FILE || true
APP() { IR_COMMITTEE_AUDIT_KEY_FILE=$KEY "$BIN" --db "$DB" --lang en "$@"; }

step "folders: $SRV mode 2770 (root:ircommittee), $ETC"
mkdir -p "$SRV" "$ETC" "$BINDIR" "$ROOT/var/backups/ir-committee"
chmod 0755 "$ROOT" "$ROOT/etc" "$ETC" "$ROOT/srv" "$ROOT/usr" "$ROOT/usr/local" "$BINDIR"
if [ $IS_ROOT = yes ]; then
    chown root:"$GID" "$SRV"
fi
chmod 2770 "$SRV"
[ "$(stat -c %a "$SRV")" = 2770 ] || fail "mode of $SRV is $(stat -c %a "$SRV")"

step "binary: $BINDIR/ir-committee"
if [ $IS_ROOT = yes ]; then
    install -o root -g "$GID" -m 2755 "$BIN" "$BINDIR/ir-committee"
    [ "$(stat -c %a "$BINDIR/ir-committee")" = 2755 ] || fail "binary is not setgid"
else
    install -m 0755 "$BIN" "$BINDIR/ir-committee"
    echo "   (not root: installed without setgid)"
fi

step "configuration: $ETC/config root:root 0644; audit key root:ircommittee 0640"
printf '# ir-committee: read when the binary runs setgid\ndatabase = %s\naudit_key_file = %s\n' \
    "$DB" "$KEY" >"$ETC/config"
chmod 0644 "$ETC/config"
# 32 random bytes as 64 hex characters (openssl rand -hex 32 does the same).
(umask 077 && od -An -N32 -tx1 /dev/urandom | tr -d ' \n' >"$KEY")
if [ $IS_ROOT = yes ]; then
    chown root:root "$ETC/config"
    chown root:"$GID" "$KEY"
fi
chmod 0640 "$KEY"

step "init with umask 007 (the chair: $ME)"
(umask 007 && APP init --admin "$ME" --timezone Europe/Paris)
[ "$(stat -c %a "$DB")" = 660 ] || fail "database mode is $(stat -c %a "$DB"), not 660"
if [ $IS_ROOT = yes ]; then
    [ "$(stat -c %g "$DB")" = "$GID" ] || fail "database group is $(stat -c %g "$DB"), not $GID"
fi

step "audit seal-key: the keyed chain sealed beside the key, root's, the key's group and mode"
APP audit seal-key >/dev/null
[ -f "$KEY.seal" ] || fail "no seal at $KEY.seal"
[ "$(stat -c %a "$KEY.seal")" = 640 ] || fail "mode of $KEY.seal is $(stat -c %a "$KEY.seal"), not 640"
if [ $IS_ROOT = yes ]; then
    [ "$(stat -c %u:%g "$KEY.seal")" = "0:$GID" ] \
        || fail "owner of $KEY.seal is $(stat -c %u:%g "$KEY.seal"), not 0:$GID"
fi

step "users add"
APP users add alice --role secretary --name "Alice Martin" >/dev/null
APP users add bruno --role anaesthetist --name "Dr Bruno Petit" >/dev/null
APP users list | grep "^alice	" >/dev/null || fail "alice not listed"

step "check (read-only report)"
APP check --format json | grep '"week"' >/dev/null || fail "check printed no report"

step "audit --verify"
VERIFY=$(APP audit --verify)
echo "   $VERIFY"
HEAD=${VERIFY##* }
[ ${#HEAD} -eq 64 ] || fail "no head hash in: $VERIFY"

step "backups while the app may run: sqlite3 .backup and VACUUM INTO"
if command -v sqlite3 >/dev/null 2>&1; then
    B1=$ROOT/var/backups/ir-committee/committee-backup.sqlite
    B2=$ROOT/var/backups/ir-committee/committee-vacuum.sqlite
    (umask 077 && sqlite3 "$DB" ".backup '$B1'" && sqlite3 "$DB" "VACUUM INTO '$B2'")
    for b in "$B1" "$B2"; do
        IR_COMMITTEE_AUDIT_KEY_FILE=$KEY "$BIN" --db "$b" audit --verify --anchor "$HEAD" \
            | grep "anchor found" >/dev/null || fail "backup $b does not verify"
    done
    # The -wal and -shm files take the database's mode minus the umask.
    (umask 007 && sqlite3 "$DB" "SELECT count(*) FROM users;" \
        ".shell stat -c '%a %n' '$DB-wal' '$DB-shm' > '$ROOT/walmodes'") >/dev/null
    if grep -qv '^660 ' "$ROOT/walmodes"; then fail "-wal/-shm modes: $(cat "$ROOT/walmodes")"; fi
else
    echo "   skipped: no sqlite3 command (apt-get install sqlite3)"
fi

if [ $IS_ROOT = no ]; then
    echo "-- skipped (needs root): the setgid install and the checks as another user"
    echo OK
    exit 0
fi
if ! command -v setpriv >/dev/null 2>&1; then
    echo "-- skipped: no setpriv command (util-linux) to act as another user"
    echo OK
    exit 0
fi
AS_NOBODY() { setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"; }

step "as nobody: the file itself is out of reach"
if AS_NOBODY cat "$DB" >/dev/null 2>&1; then fail "nobody can read $DB directly"; fi
if AS_NOBODY "$BIN" --db "$DB" check >/dev/null 2>&1; then
    fail "nobody can open $DB with a binary that is not setgid"
fi

if [ "$READS" != "$ETC/config" ]; then
    # Run setgid, it would read $READS: this machine's configuration, if any.
    echo "-- skipped: the checks through the setgid binary: it reads $READS, not"
    echo "   $ETC/config (build it with IR_COMMITTEE_CONFIG_PATH=$ETC/config)"
else
    step "as nobody through the setgid binary: --db is ignored"
    OUT=$(AS_NOBODY env IR_COMMITTEE_DB="$ROOT/elsewhere.sqlite" "$BINDIR/ir-committee" \
        --db "$ROOT/elsewhere.sqlite" --lang en check 2>&1) || fail "setgid check failed: $OUT"
    echo "$OUT" | grep "running setgid, --db, IR_COMMITTEE_DB ignored" >/dev/null \
        || fail "no notice that --db is ignored: $OUT"
    step "as nobody through the setgid binary: not a user, so writes are refused and audited"
    if AS_NOBODY "$BINDIR/ir-committee" users add eve --role chair --name Eve 2>/dev/null; then
        fail "nobody could add a user"
    fi
    APP audit | grep "nobody" >/dev/null || fail "the refusal is not in the audit trail"
    [ "$(stat -c %a "$DB")" = 660 ] || fail "database mode changed"
    step "a configuration writable by others is refused"
    chmod 0666 "$ETC/config"
    OUT=$(AS_NOBODY "$BINDIR/ir-committee" check 2>&1) && fail "accepted a writable config"
    chmod 0644 "$ETC/config"
    echo "$OUT" | grep "writable by its group or others" >/dev/null || fail "unclear refusal: $OUT"
    step "without its configuration the setgid binary refuses to run, --db notwithstanding"
    mv "$ETC/config" "$ETC/config.away"
    OUT=$(AS_NOBODY "$BINDIR/ir-committee" --db "$DB" --lang en check 2>&1) && RC=0 || RC=$?
    mv "$ETC/config.away" "$ETC/config"
    [ $RC -ne 0 ] || fail "ran without its configuration: $OUT"
    echo "$OUT" | grep "cannot read the configuration" >/dev/null || fail "unclear refusal: $OUT"
fi

step "audit --verify after everything"
APP audit --verify --anchor "$HEAD" | grep "anchor found" >/dev/null || fail "audit trail broken"
step "without its seal, a keyed file does not verify"
mv "$KEY.seal" "$KEY.seal.away"
OUT=$(APP audit --verify 2>&1) && RC=0 || RC=$?
mv "$KEY.seal.away" "$KEY.seal"
[ $RC -ne 0 ] || fail "verified without its seal: $OUT"
echo "$OUT" | grep "keyed but not sealed" >/dev/null || fail "unclear refusal: $OUT"
echo OK
