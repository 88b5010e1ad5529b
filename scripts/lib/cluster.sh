#!/usr/bin/env bash
# A 3-node RabbitMQ cluster on this machine, for the cluster test and the scale-out benchmark.
#
#   source scripts/lib/cluster.sh
#   cluster_up              # starts (or finds running) llmmon-n1..n3@localhost as one cluster; exports
#                           # RABBITMQ_CLUSTER_URL (the three amqp:// URIs, comma-separated) and RABBITMQ_CLUSTER_MANAGEMENT_URL
#   cluster_down            # stops the three nodes and deletes their data (the next up starts a fresh cluster)
#   cluster_stop_node N / cluster_kill_node N / cluster_start_node N   (node loss in tests and benchmarks: a graceful
#                           # shutdown, or SIGKILL to the node's Erlang VM)
#   cluster_status
#
# Node N: AMQP 127.0.0.1:568N, Erlang distribution 2568N, management http://127.0.0.1:1568N/ (guest/guest);
# data and logs in $REPO/.data/cluster/nN. The project's single node (scripts/servers.sh, llmmon@localhost on
# 5672) is a node of its own and never touched here. Every node uses the rabbitmq user's Erlang cookie (the
# wrappers in /usr/sbin switch to that user), so they can join each other.
# Quorum queues get 3 members (quorum_cluster_size), one on every node, when declared with all three running.
#
# Sourcing turns on strict mode in the calling shell (scripts/lib/servers.sh, whose helpers it uses).

# shellcheck source=servers.sh
source "$(dirname "${BASH_SOURCE[0]}")/servers.sh"

CLUSTER_DATA=$SERVERS_DATA/cluster
CLUSTER_NODES=(1 2 3)

_clog() { printf '[cluster] %s\n' "$*" >&2; }
_cdie() { _clog "ERROR: $*"; return 1; }

_cluster_node() { echo "llmmon-n$1@localhost"; }
_cluster_amqp_port() { echo $((5680 + $1)); }
_cluster_dist_port() { echo $((25680 + $1)); }
_cluster_mgmt_port() { echo $((15680 + $1)); }

_cluster_check_n() { [[ ${1-} =~ ^[123]$ ]] || _cdie "node number must be 1, 2 or 3 (got '${1-}')"; }

_cluster_ctl() { # N ARGS...: rabbitmqctl against node N (the wrapper switches to user rabbitmq: its cookie)
  local n=$1
  shift
  /usr/sbin/rabbitmqctl -n "$(_cluster_node "$n")" "$@"
}

_cluster_running() { # N: the node's Erlang VM is registered with epmd
  epmd -names 2>/dev/null | grep -q "^name llmmon-n$1 "
}

_cluster_url() { # the comma-separated RABBITMQ_URL of the three nodes
  local n urls=()
  for n in "${CLUSTER_NODES[@]}"; do urls+=("amqp://guest:guest@127.0.0.1:$(_cluster_amqp_port "$n")/"); done
  local IFS=,
  echo "${urls[*]}"
}

_cluster_prepare() { # N: folders and configuration of node N
  local base=$CLUSTER_DATA/n$1
  mkdir -p "$SERVERS_DATA"
  chmod 755 "$SERVERS_DATA"
  install -d -o rabbitmq -g rabbitmq -m 755 "$CLUSTER_DATA"
  install -d -o rabbitmq -g rabbitmq -m 750 "$base" "$base/mnesia" "$base/log"
  echo '[rabbitmq_management].' >"$base/enabled_plugins"
  printf '%s\n' 'loopback_users = none' 'management.tcp.ip = 127.0.0.1' "management.tcp.port = $(_cluster_mgmt_port "$1")" \
    'max_message_size = 16777216' >"$base/rabbitmq.conf"
  # Three replicas per quorum queue (the default of 3.10, written down so that it is not left to a default).
  echo '[{rabbit, [{quorum_cluster_size, 3}]}].' >"$base/advanced.config"
  chown rabbitmq:rabbitmq "$base/enabled_plugins" "$base/rabbitmq.conf" "$base/advanced.config"
}

_cluster_launch() { # N: rabbitmq-server -detached for node N (returns at once; the node takes 9-15 s)
  local base=$CLUSTER_DATA/n$1
  env RABBITMQ_NODENAME="$(_cluster_node "$1")" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
    RABBITMQ_NODE_PORT="$(_cluster_amqp_port "$1")" RABBITMQ_DIST_PORT="$(_cluster_dist_port "$1")" \
    RABBITMQ_MNESIA_BASE="$base/mnesia" RABBITMQ_LOG_BASE="$base/log" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$base/enabled_plugins" RABBITMQ_CONFIG_FILE="$base/rabbitmq" \
    RABBITMQ_ADVANCED_CONFIG_FILE="$base/advanced.config" \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1} +sbwt none +sbwtdcpu none +sbwtdio none' \
    /usr/sbin/rabbitmq-server -detached >&2
}

_cluster_await() { # N [reused]: AMQP port open, then the node fully booted
  local port i
  port=$(_cluster_amqp_port "$1")
  for ((i = 0; i < 180; i++)); do
    _port_open 127.0.0.1 "$port" && break
    sleep 0.5
  done
  _port_open 127.0.0.1 "$port" || _cdie "node $1 did not open port $port, see $CLUSTER_DATA/n$1/log"
  # A running node that completes an AMQP login has booted; a starting one is awaited (the CLI takes ~1 s).
  [[ ${2-} == reused ]] && _amqp_probe 127.0.0.1 "$port" guest guest / && return 0
  _cluster_ctl "$1" -q await_startup --timeout 120 >&2
}

_cluster_members() { # N: the running nodes of N's cluster, one a line
  _cluster_ctl "$1" -q cluster_status --formatter json 2>/dev/null |
    python3 -c 'import json,sys; print("\n".join(json.load(sys.stdin).get("running_nodes", [])))'
}

_cluster_disc_members() { # N: every member node of N's cluster (running or not), one a line
  _cluster_ctl "$1" -q cluster_status --formatter json 2>/dev/null |
    python3 -c 'import json,sys; print("\n".join(json.load(sys.stdin).get("disk_nodes", [])))'
}

_cluster_await_running() { # COUNT: wait until node 1 (or any running node) sees COUNT running members
  local want=$1 i n count
  for ((i = 0; i < 120; i++)); do
    for n in "${CLUSTER_NODES[@]}"; do
      if _cluster_running "$n"; then
        count=$(_cluster_members "$n" | grep -c . || true)
        ((count == want)) && return 0
        break
      fi
    done
    sleep 0.5
  done
  _cdie "the cluster does not show $want running nodes"
}

cluster_up() { # starts the nodes that are not running, joins them into one cluster; exports RABBITMQ_CLUSTER_URL
  local t0=$EPOCHREALTIME n started=() first=${CLUSTER_NODES[0]}
  [[ -x /usr/sbin/rabbitmq-server ]] || _apt_install rabbitmq-server
  command -v python3 >/dev/null || _cdie "python3 is needed to read rabbitmqctl's JSON"
  for n in "${CLUSTER_NODES[@]}"; do
    if ! _cluster_running "$n"; then
      _port_open 127.0.0.1 "$(_cluster_amqp_port "$n")" && _cdie "port $(_cluster_amqp_port "$n") is taken by something else"
      _cluster_prepare "$n"
      _cluster_launch "$n"
      started+=("$n")
    fi
  done
  # They boot in parallel; await each.
  for n in "${CLUSTER_NODES[@]}"; do
    if [[ " ${started[*]} " == *" $n "* ]]; then _cluster_await "$n"; else _cluster_await "$n" reused; fi
  done
  local members
  members=$(_cluster_disc_members "$first")
  for n in "${CLUSTER_NODES[@]:1}"; do
    if ! grep -qx "$(_cluster_node "$n")" <<<"$members"; then
      _clog "joining $(_cluster_node "$n") to $(_cluster_node "$first")"
      # The CLI prints its own log lines while a node joins: keep them in the node's log folder.
      {
        _cluster_ctl "$n" -q stop_app && _cluster_ctl "$n" -q reset &&
          _cluster_ctl "$n" -q join_cluster "$(_cluster_node "$first")" && _cluster_ctl "$n" -q start_app &&
          _cluster_ctl "$n" -q await_startup --timeout 120
      } >>"$CLUSTER_DATA/n$n/log/join.log" 2>&1 || _cdie "node $n could not join, see $CLUSTER_DATA/n$n/log/join.log"
    fi
  done
  _cluster_await_running "${#CLUSTER_NODES[@]}"
  ((${#started[@]} > 0)) && CLUSTER_STARTED=1
  export RABBITMQ_CLUSTER_URL RABBITMQ_CLUSTER_MANAGEMENT_URL
  RABBITMQ_CLUSTER_URL=$(_cluster_url)
  RABBITMQ_CLUSTER_MANAGEMENT_URL=http://127.0.0.1:$(_cluster_mgmt_port "$first")/
  _clog "3-node cluster up (started: ${started[*]:-none}) in $(_since "$t0"): $RABBITMQ_CLUSTER_URL"
}

cluster_stop_node() { # N: graceful shutdown of node N (the others keep the quorum queue's majority)
  _cluster_check_n "${1-}" || return 1
  local t0=$EPOCHREALTIME
  if _cluster_running "$1"; then
    _cluster_ctl "$1" -q shutdown >&2
    _clog "stopped $(_cluster_node "$1") ($(_since "$t0"))"
  else
    _clog "$(_cluster_node "$1") is not running"
  fi
}

cluster_kill_node() { # N: SIGKILL to node N's Erlang VM: a crash or a lost machine, no goodbye to its peers or clients
  _cluster_check_n "${1-}" || return 1
  local pidfile=$CLUSTER_DATA/n$1/mnesia/$(_cluster_node "$1").pid pid i
  if ! _cluster_running "$1" || [[ ! -s $pidfile ]]; then
    _clog "$(_cluster_node "$1") is not running"
    return 0
  fi
  pid=$(<"$pidfile")
  kill -KILL "$pid"
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  # epmd forgets the name once the VM's connection to it closes.
  for ((i = 0; i < 50; i++)); do
    _cluster_running "$1" || break
    sleep 0.1
  done
  _clog "killed $(_cluster_node "$1") (pid $pid)"
}

cluster_start_node() { # N: starts node N again; it rejoins its cluster
  _cluster_check_n "${1-}" || return 1
  local t0=$EPOCHREALTIME
  [[ -d $CLUSTER_DATA/n$1/mnesia ]] || _cdie "no cluster here: run cluster up first"
  if ! _cluster_running "$1"; then
    _cluster_prepare "$1"
    _cluster_launch "$1"
  fi
  _cluster_await "$1"
  _cluster_await_running "${#CLUSTER_NODES[@]}"
  _clog "started $(_cluster_node "$1") ($(_since "$t0"))"
}

cluster_down() { # stops every node and deletes the cluster's data
  local n pids=()
  for n in "${CLUSTER_NODES[@]}"; do
    if _cluster_running "$n"; then
      _cluster_ctl "$n" -q shutdown >&2 &
      pids+=($!)
    fi
  done
  for n in "${pids[@]}"; do wait "$n" || true; done
  rm -rf "$CLUSTER_DATA"
  _clog "cluster down, data deleted"
}

cluster_status() {
  local n any=
  for n in "${CLUSTER_NODES[@]}"; do
    if _cluster_running "$n"; then
      any=$n
      echo "$(_cluster_node "$n"): running, amqp://guest:guest@127.0.0.1:$(_cluster_amqp_port "$n")/ (management http://127.0.0.1:$(_cluster_mgmt_port "$n")/)"
    else
      echo "$(_cluster_node "$n"): STOPPED"
    fi
  done
  if [[ -n $any ]]; then
    echo "running members (seen by $(_cluster_node "$any")): $(_cluster_members "$any" | tr '\n' ' ')"
    echo "quorum queues (vhost: name leader members):"
    local vhost
    for vhost in $(_cluster_ctl "$any" -q list_vhosts 2>/dev/null); do
      _cluster_ctl "$any" -q list_queues -p "$vhost" name type leader members 2>/dev/null |
        awk -v v="$vhost" '$2 == "quorum" { print "  " v ": " $0 }' || true
    done
  fi
}

# For scripts/test.sh: cluster_up in the background (its ~45 s overlap the build), then cluster_up_wait.
cluster_up_background() {
  local n
  CLUSTER_UP_LOG=$(mktemp)
  for n in "${CLUSTER_NODES[@]}"; do _cluster_running "$n" || CLUSTER_STARTED=1; done
  (cluster_up) 2>"$CLUSTER_UP_LOG" >/dev/null &
  CLUSTER_UP_PID=$!
}

cluster_up_wait() { # exports RABBITMQ_CLUSTER_URL and RABBITMQ_CLUSTER_MANAGEMENT_URL if the cluster came up
  local status=0
  wait "$CLUSTER_UP_PID" || status=$?
  grep -v '^\s*$' "$CLUSTER_UP_LOG" | grep -v '^[0-9:.]* \[' >&2 || true
  rm -f "$CLUSTER_UP_LOG"
  if ((status != 0)); then
    _clog "ERROR: the cluster did not come up; the cluster test will fail without RABBITMQ_CLUSTER_URL"
    return 0
  fi
  export RABBITMQ_CLUSTER_URL RABBITMQ_CLUSTER_MANAGEMENT_URL
  RABBITMQ_CLUSTER_URL=$(_cluster_url)
  RABBITMQ_CLUSTER_MANAGEMENT_URL=http://127.0.0.1:$(_cluster_mgmt_port "${CLUSTER_NODES[0]}")/
}

# Stops the cluster if this shell started any of its nodes (cluster_up or cluster_up_background).
cluster_down_started() {
  if [[ -n ${CLUSTER_UP_PID-} ]]; then wait "$CLUSTER_UP_PID" 2>/dev/null || true; fi
  if [[ ${CLUSTER_STARTED-} == 1 ]]; then cluster_down; fi
  return 0
}
