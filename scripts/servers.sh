#!/usr/bin/env bash
# PostgreSQL + RabbitMQ for development and tests (see scripts/lib/servers.sh).
#   eval "$(scripts/servers.sh up)"     # export DATABASE_URL, RABBITMQ_URL, RABBITMQ_MANAGEMENT_URL
#   scripts/servers.sh down | status
#   scripts/servers.sh stop-rabbit | start-rabbit | stop-postgres | start-postgres   (outage tests)
# Only the export lines go to stdout; messages go to stderr.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/servers.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/servers.sh"

_exports() {
  local name
  for name in "$@"; do
    [[ -n ${!name-} ]] && printf 'export %s=%q\n' "$name" "${!name}"
  done
  return 0
}

case ${1-} in
  up)
    servers_up
    _exports DATABASE_URL RABBITMQ_URL RABBITMQ_MANAGEMENT_URL
    ;;
  down) servers_down ;;
  status) servers_status ;;
  stop-rabbit) rabbit_stop_private ;;
  start-rabbit) rabbit_start_private && _exports RABBITMQ_URL RABBITMQ_MANAGEMENT_URL ;;
  stop-postgres) pg_stop_private ;;
  start-postgres) pg_start_private && _exports DATABASE_URL ;;
  *)
    echo "usage: $0 up|down|status|stop-rabbit|start-rabbit|stop-postgres|start-postgres" >&2
    exit 2
    ;;
esac
