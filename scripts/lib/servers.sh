#!/usr/bin/env bash
# PostgreSQL + RabbitMQ for development and integration tests (no Docker needed).
#
#   source scripts/lib/servers.sh
#   servers_up      # exports DATABASE_URL and RABBITMQ_URL (reuses running servers when it can)
#   servers_down    # stops only what servers_up started
#   pg_stop_private / pg_start_private, rabbit_stop_private / rabbit_start_private  (outage tests)
#
# Private servers keep their data in $REPO/.data; .data/started-* mark what this script started.
# Sourcing turns on strict mode in the calling shell as well: the functions rely on it.
# From an interactive shell prefer: eval "$(scripts/servers.sh up)"
set -euo pipefail

SERVERS_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=apt.sh
source "$SERVERS_REPO/scripts/lib/apt.sh"
SERVERS_DATA=$SERVERS_REPO/.data
PG_DATA=$SERVERS_DATA/postgres
PG_RUN=$SERVERS_DATA/postgres-run            # unix socket + server log
PG_MARKER=$SERVERS_DATA/started-postgres     # contents: port
PG_HUGE_MARKER=$SERVERS_DATA/reserved-huge-pages  # contents: how many 2 MB pages pg_start_private added
RMQ_BASE=$SERVERS_DATA/rabbitmq
RMQ_MARKER=$SERVERS_DATA/started-rabbitmq    # contents: amqp-port dist-port mgmt-port epmd-pid|-
RMQ_NODE=llmmon@localhost
RMQ_PIDFILE=$RMQ_BASE/mnesia/$RMQ_NODE.pid

# ---------------------------------------------------------------- helpers

_log() { printf '[servers] %s\n' "$*" >&2; }
_die() { _log "ERROR: $*"; return 1; }

_since() { # START (an $EPOCHREALTIME value) -> "1.3s"
  local us=$((${EPOCHREALTIME/[.,]/} - ${1/[.,]/}))
  printf '%d.%ds' $((us / 1000000)) $((us / 100000 % 10))
}

_port_open() { # HOST PORT
  timeout 3 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

# ---------------------------------------------------------------- PostgreSQL

_pg_bin() { # prints the newest /usr/lib/postgresql/*/bin that has a server
  local d
  d=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n1)
  [[ -n $d && -x $d/postgres ]] && echo "$d"
}

_as_postgres() { (cd / && runuser -u postgres -- "$@"); }

_pg_running() { # our private server (data dir $PG_DATA) is running
  local bin
  bin=$(_pg_bin) && [[ -f $PG_DATA/postmaster.pid ]] &&
    _as_postgres "$bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
}

_pg_url_ok() { # URL: accepts a query
  PGCONNECT_TIMEOUT=3 psql "$1" -XAtqc 'select 1' >/dev/null 2>&1
}

_pg_ensure_db() { # PSQL-CONNECTION-ARGS...: create database llm_monitor if missing
  local have
  have=$(psql "$@" -d postgres -XAtqc "select 1 from pg_database where datname = 'llm_monitor'") || return 1
  [[ -n $have ]] || psql "$@" -d postgres -Xqc 'create database llm_monitor' >/dev/null
}

_pg_choose_port() {
  if [[ -n ${LLMMON_PG_PORT-} ]]; then
    _port_open 127.0.0.1 "$LLMMON_PG_PORT" && _die "LLMMON_PG_PORT=$LLMMON_PG_PORT is taken"
    echo "$LLMMON_PG_PORT"
  elif ! _port_open 127.0.0.1 5432; then echo 5432
  elif ! _port_open 127.0.0.1 55432; then echo 55432
  else _die "ports 5432 and 55432 are both taken; set LLMMON_PG_PORT"
  fi
}

_pg_init() { # BIN: data dir, socket dir and initdb on first use
  mkdir -p "$SERVERS_DATA"
  chmod 755 "$SERVERS_DATA" # user postgres must traverse it
  install -d -o postgres -g postgres -m 700 "$PG_DATA"
  install -d -o postgres -g postgres -m 755 "$PG_RUN"
  _as_postgres test -w "$PG_RUN" ||
    _die "user postgres cannot reach $PG_RUN (make the folders above $SERVERS_DATA traversable: chmod o+x)"
  [[ -s $PG_DATA/PG_VERSION ]] && return
  _as_postgres "$1/initdb" -D "$PG_DATA" --auth=trust --username=postgres -E UTF8 --locale=C.UTF-8 >/dev/null
  cat >>"$PG_DATA/postgresql.conf" <<'EOF'

# --- private dev/test server of scripts/lib/servers.sh (port and socket dir come from pg_ctl -o)
listen_addresses = '127.0.0.1'
timezone = 'UTC'
log_timezone = 'UTC'
max_connections = 200
shared_buffers = 512MB
# Ingest is write-heavy: fewer checkpoints mean fewer full-page images in the WAL.
max_wal_size = 4GB
min_wal_size = 1GB
checkpoint_timeout = 15min
wal_compression = lz4
wal_buffers = 64MB
work_mem = 32MB
EOF
}

# A fresh backend page-faults on every 4 kB of shared memory it first reads; in 2 MB pages (which huge_pages = try
# takes when the kernel has them) that cost goes (figures: README, Operations). Only as root, unless
# LLMMON_PG_HUGE_PAGES=0; given back on stop.
_pg_reserve_huge_pages() { # BIN
  local need have got available
  [[ ${LLMMON_PG_HUGE_PAGES-1} != 0 && $EUID -eq 0 && -w /proc/sys/vm/nr_hugepages ]] || return 0
  need=$(_as_postgres "$1/postgres" -D "$PG_DATA" -C shared_memory_size_in_huge_pages 2>/dev/null) || return 0
  [[ $need =~ ^[0-9]+$ ]] || return 0
  available=$(awk '/^HugePages_Free/ {f = $2} /^HugePages_Rsvd/ {r = $2} END {print f - r}' /proc/meminfo)
  ((available < need)) || return 0
  have=$(</proc/sys/vm/nr_hugepages)
  echo $((have + need - available)) >/proc/sys/vm/nr_hugepages 2>/dev/null || true
  got=$(($(</proc/sys/vm/nr_hugepages) - have))
  if ((got < need - available)); then
    echo "$have" >/proc/sys/vm/nr_hugepages 2>/dev/null || true
    _log "postgres: the kernel could not reserve $need huge pages; shared memory stays in 4 kB pages"
    return 0
  fi
  echo "$got" >"$PG_HUGE_MARKER"
  _log "postgres: reserved $got huge pages (2 MB) for shared memory (LLMMON_PG_HUGE_PAGES=0 to not)"
}

_pg_release_huge_pages() {
  local added have
  [[ -s $PG_HUGE_MARKER ]] || return 0
  added=$(<"$PG_HUGE_MARKER")
  have=$(</proc/sys/vm/nr_hugepages)
  echo $((have > added ? have - added : 0)) >/proc/sys/vm/nr_hugepages 2>/dev/null || true
  rm -f "$PG_HUGE_MARKER"
}

pg_start_private() { # starts (or finds running) the private server; exports DATABASE_URL
  local t0=$EPOCHREALTIME bin port what=reused
  bin=$(_pg_bin) || { _apt_install postgresql && bin=$(_pg_bin); } || _die "no PostgreSQL server binaries"
  _pg_init "$bin"
  if _pg_running; then
    port=$(sed -n 4p "$PG_DATA/postmaster.pid")
  else
    if [[ -s $PG_MARKER ]]; then port=$(<"$PG_MARKER"); else port=$(_pg_choose_port); fi
    _pg_reserve_huge_pages "$bin"
    _as_postgres "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_RUN/postgres.log" -o "-p $port -k $PG_RUN" -w -t 60 start >/dev/null ||
      _die "PostgreSQL did not start, see $PG_RUN/postgres.log"
    what=started
  fi
  echo "$port" >"$PG_MARKER"
  _pg_ensure_db -h "$PG_RUN" -p "$port" -U postgres
  psql -h "$PG_RUN" -p "$port" -U postgres -d postgres -Xqc "alter user postgres password 'postgres'" >/dev/null
  export DATABASE_URL=postgres://postgres:postgres@127.0.0.1:$port/llm_monitor
  [[ $what == started ]] && SERVERS_STARTED_PG=1
  _log "postgres: $what private server on 127.0.0.1:$port ($(_since "$t0"))"
}

pg_stop_private() {
  local bin
  if _pg_running; then
    bin=$(_pg_bin)
    _as_postgres "$bin/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
    _log "postgres: stopped private server"
    _pg_release_huge_pages
  else
    _log "postgres: private server is not running"
  fi
}

_pg_up() {
  local t0=$EPOCHREALTIME
  if [[ -n ${DATABASE_URL-} ]]; then
    if _pg_url_ok "$DATABASE_URL"; then
      _log "postgres: reused DATABASE_URL $DATABASE_URL ($(_since "$t0"))"
      return
    fi
    _log "postgres: DATABASE_URL $DATABASE_URL does not answer, ignoring it"
  fi
  # Ours from an earlier run (running, or stopped by an outage test): keep using it.
  if [[ -f $PG_MARKER ]] || _pg_running; then pg_start_private; return; fi
  local url=postgres://postgres:postgres@localhost:5432/llm_monitor
  if _port_open 127.0.0.1 5432 &&
    PGPASSWORD=postgres PGCONNECT_TIMEOUT=3 _pg_ensure_db -h localhost -p 5432 -U postgres 2>/dev/null &&
    _pg_url_ok "$url"; then
    export DATABASE_URL=$url
    _log "postgres: reused server on localhost:5432 ($(_since "$t0"))"
    return
  fi
  pg_start_private
}

# ---------------------------------------------------------------- RabbitMQ

# AMQP 0-9-1 handshake over bash's /dev/tcp (login + vhost open), so no client library is needed.
_amqp_hex() { printf %s "$1" | od -An -v -tx1 | tr -d ' \n'; }
_amqp_shortstr() { local h; h=$(_amqp_hex "$1"); printf '%02x%s' $((${#h} / 2)) "$h"; }

_amqp_send() { # CLASS METHOD ARGS-HEX: one method frame on channel 0
  local p f
  p=$(printf '%04x%04x%s' "$1" "$2" "$3")
  f=$(printf '010000%08x%sce' $((${#p} / 2)) "$p")
  printf '%b' "$(sed 's/../\\x&/g' <<<"$f")" >&3
}

_amqp_recv() { # prints "CLASS.METHOD" of the next frame
  local LC_ALL=C c i size
  local -a b=()
  for ((i = 0; i < 7; i++)); do
    IFS= read -r -d '' -n 1 -t 5 c <&3 2>/dev/null || return 1
    printf -v 'b[i]' '%d' "'$c"
  done
  size=$((b[3] << 24 | b[4] << 16 | b[5] << 8 | b[6]))
  for ((i = 0; i <= size; i++)); do # payload + frame-end octet
    IFS= read -r -d '' -n 1 -t 5 c <&3 2>/dev/null || return 1
    ((i < 4)) && printf -v 'b[i]' '%d' "'$c"
  done
  echo "$((b[0] << 8 | b[1])).$((b[2] << 8 | b[3]))"
}

_amqp_probe() ( # HOST PORT USER PASS VHOST
  _port_open "$1" "$2" || return 1
  exec 3<>"/dev/tcp/$1/$2"
  local auth
  auth="00$(_amqp_hex "$3")00$(_amqp_hex "$4")" # PLAIN: \0user\0password
  printf 'AMQP\x00\x00\x09\x01' >&3
  [[ $(_amqp_recv) == 10.10 ]] || return 1 # Connection.Start
  _amqp_send 10 11 "00000000$(_amqp_shortstr PLAIN)$(printf %08x $((${#auth} / 2)))$auth$(_amqp_shortstr en_US)"
  [[ $(_amqp_recv) == 10.30 ]] || return 1 # Connection.Tune (a refused login closes instead)
  _amqp_send 10 31 "0001""00001000""0000"   # Tune-Ok: 1 channel, 4 KiB frames, no heartbeats
  _amqp_send 10 40 "$(_amqp_shortstr "$5")0000"
  [[ $(_amqp_recv) == 10.41 ]] || return 1 # Connection.Open-Ok
  _amqp_send 10 50 "00c8""00""0000""0000"   # Connection.Close 200, so the broker logs no error
  _amqp_recv >/dev/null || true
)

_amqp_url_ok() { # amqp://user:pass@host:port/vhost, or a comma-separated list of them (a cluster: one node is enough)
  if [[ $1 == *,* ]]; then
    local entry entries
    IFS=, read -r -a entries <<<"$1"
    for entry in "${entries[@]}"; do
      entry=${entry#"${entry%%[![:space:]]*}"}
      _amqp_url_ok "${entry%"${entry##*[![:space:]]}"}" && return 0
    done
    return 1
  fi
  local re='^amqp://(([^:@/]*)(:([^@/]*))?@)?([^:/]+)(:([0-9]+))?(/(.*))?$'
  if [[ $1 == amqps://* ]]; then
    _log "rabbitmq: amqps URL is not probed, trusting it"
    return 0
  fi
  [[ $1 =~ $re ]] || return 1
  local user=${BASH_REMATCH[2]:-guest} pass=${BASH_REMATCH[4]:-guest} host=${BASH_REMATCH[5]}
  local port=${BASH_REMATCH[7]:-5672} vhost=${BASH_REMATCH[9]:-/}
  _amqp_probe "$host" "$port" "$(printf '%b' "${user//%/\\x}")" "$(printf '%b' "${pass//%/\\x}")" \
    "$(printf '%b' "${vhost//%/\\x}")"
}

# The pid file can be missing (a node started by another shell); epmd knows every running node by name.
_rabbit_running() {
  { [[ -s $RMQ_PIDFILE ]] && kill -0 "$(<"$RMQ_PIDFILE")" 2>/dev/null; } ||
    epmd -names 2>/dev/null | grep -q "^name ${RMQ_NODE%@*} "
}

_free_port() { # CANDIDATE...: first one nothing listens on
  local p
  for p; do _port_open 127.0.0.1 "$p" || { echo "$p"; return; }; done
  _die "no free port among $*"
}

rabbit_start_private() { # starts (or finds running) the private node; exports RABBITMQ_URL
  local t0=$EPOCHREALTIME port dist mgmt epmd=- what=reused i
  [[ -x /usr/sbin/rabbitmq-server ]] || _apt_install rabbitmq-server
  if [[ -s $RMQ_MARKER ]]; then
    read -r port dist mgmt epmd <"$RMQ_MARKER"
  else
    port=$(_free_port 5672 55672) dist=$(_free_port 25672 25673 25674 25675)
    mgmt=$(_free_port 15672 15673 15674 15675)
  fi
  if ! _rabbit_running; then
    mkdir -p "$SERVERS_DATA"
    chmod 755 "$SERVERS_DATA"
    install -d -o rabbitmq -g rabbitmq -m 750 "$RMQ_BASE" "$RMQ_BASE/mnesia" "$RMQ_BASE/log"
    echo '[rabbitmq_management].' >"$RMQ_BASE/enabled_plugins"
    # max_message_size: the writer refuses messages over 10 MiB (to its error queue, with the reason); the
    # broker refuses publishes over 16 MiB outright, so no message can be large enough to exhaust the writer.
    printf '%s\n' 'loopback_users = none' 'management.tcp.ip = 127.0.0.1' "management.tcp.port = $mgmt" \
      'max_message_size = 16777216' >"$RMQ_BASE/rabbitmq.conf"
    chown rabbitmq:rabbitmq "$RMQ_BASE/enabled_plugins" "$RMQ_BASE/rabbitmq.conf"
    # An epmd that the node starts outlives it; remember it so servers_down can end it.
    _port_open 127.0.0.1 4369 || epmd=new
    # The wrapper switches to user rabbitmq and keeps these variables. No scheduler busy-waiting: on a small
    # machine shared with PostgreSQL and the services, spinning Erlang schedulers only steal their CPU.
    env RABBITMQ_NODENAME="$RMQ_NODE" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$port" \
      RABBITMQ_DIST_PORT="$dist" RABBITMQ_MNESIA_BASE="$RMQ_BASE/mnesia" RABBITMQ_LOG_BASE="$RMQ_BASE/log" \
      RABBITMQ_ENABLED_PLUGINS_FILE="$RMQ_BASE/enabled_plugins" RABBITMQ_CONFIG_FILE="$RMQ_BASE/rabbitmq" \
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1} +sbwt none +sbwtdcpu none +sbwtdio none' \
      /usr/sbin/rabbitmq-server -detached >&2
    what=started
  fi
  # await_startup can exit 69 right after -detached: wait for the AMQP port first.
  for ((i = 0; i < 120; i++)); do
    _port_open 127.0.0.1 "$port" && break
    sleep 0.5
  done
  _port_open 127.0.0.1 "$port" || _die "RabbitMQ did not open port $port, see $RMQ_BASE/log"
  if [[ $what == started ]] || ! _amqp_probe 127.0.0.1 "$port" guest guest /; then
    /usr/sbin/rabbitmqctl -n "$RMQ_NODE" -q await_startup >&2
  fi
  # fuser (psmisc) may be missing on a bare machine: then the epmd is left running rather than failing here.
  if [[ $epmd == new ]]; then epmd=$(fuser -n tcp 4369 2>/dev/null | awk '{print $1}' || true); fi
  echo "$port $dist $mgmt ${epmd:--}" >"$RMQ_MARKER"
  export RABBITMQ_URL=amqp://guest:guest@127.0.0.1:$port/
  export RABBITMQ_MANAGEMENT_URL=http://127.0.0.1:$mgmt/
  [[ $what == started ]] && SERVERS_STARTED_RABBIT=1
  _log "rabbitmq: $what private node $RMQ_NODE on 127.0.0.1:$port, management $RABBITMQ_MANAGEMENT_URL ($(_since "$t0"))"
}

rabbit_stop_private() {
  if _rabbit_running; then
    /usr/sbin/rabbitmqctl -n "$RMQ_NODE" -q shutdown >/dev/null
    _log "rabbitmq: stopped private node"
  else
    _log "rabbitmq: private node is not running"
  fi
}

_rabbit_up() {
  local t0=$EPOCHREALTIME
  if [[ -n ${RABBITMQ_URL-} ]]; then
    if _amqp_url_ok "$RABBITMQ_URL"; then
      _log "rabbitmq: reused RABBITMQ_URL $RABBITMQ_URL ($(_since "$t0"))"
      return
    fi
    _log "rabbitmq: RABBITMQ_URL $RABBITMQ_URL does not answer, ignoring it"
  fi
  if [[ -f $RMQ_MARKER ]] || _rabbit_running; then rabbit_start_private; return; fi
  if _amqp_probe 127.0.0.1 5672 guest guest /; then
    export RABBITMQ_URL=amqp://guest:guest@localhost:5672/
    _log "rabbitmq: reused broker on localhost:5672 ($(_since "$t0"))"
    return
  fi
  rabbit_start_private
}

# ---------------------------------------------------------------- both

servers_up() {
  _pg_up
  _rabbit_up
}

servers_down() {
  local port dist mgmt epmd
  if [[ -f $RMQ_MARKER ]]; then
    read -r port dist mgmt epmd <"$RMQ_MARKER"
    rabbit_stop_private
    # Only end the epmd we caused to start, and only if no other Erlang node still uses it.
    if [[ $epmd =~ ^[0-9]+$ && $(cat "/proc/$epmd/comm" 2>/dev/null) == epmd ]] &&
      ! epmd -names 2>/dev/null | grep -q '^name '; then
      kill "$epmd"
      _log "rabbitmq: stopped epmd ($epmd)"
    fi
    rm -f "$RMQ_MARKER"
  fi
  if [[ -f $PG_MARKER ]]; then
    pg_stop_private
    rm -f "$PG_MARKER"
  fi
}

# Stops only the servers that servers_up started in this shell (a run or test script's own).
servers_down_started() {
  if [[ ${SERVERS_STARTED_PG-} == 1 ]]; then pg_stop_private; fi
  if [[ ${SERVERS_STARTED_RABBIT-} == 1 ]]; then rabbit_stop_private; fi
  return 0
}

servers_status() {
  local port dist mgmt epmd
  if [[ -f $PG_MARKER ]]; then
    port=$(<"$PG_MARKER")
    if _pg_running; then echo "postgres: private, running, postgres://postgres:postgres@127.0.0.1:$port/llm_monitor"
    else echo "postgres: private, STOPPED (port $port)"; fi
  else
    echo "postgres: no private server started by this script${DATABASE_URL:+ (DATABASE_URL=$DATABASE_URL)}"
  fi
  if [[ -f $RMQ_MARKER ]]; then
    read -r port dist mgmt epmd <"$RMQ_MARKER"
    if _rabbit_running; then
      echo "rabbitmq: private, running, amqp://guest:guest@127.0.0.1:$port/ (management http://127.0.0.1:$mgmt/)"
    else echo "rabbitmq: private, STOPPED (port $port)"; fi
  else
    echo "rabbitmq: no private node started by this script${RABBITMQ_URL:+ (RABBITMQ_URL=$RABBITMQ_URL)}"
  fi
}
