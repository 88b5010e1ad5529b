#!/usr/bin/env bash
# A 3-node RabbitMQ cluster on this machine for the cluster test and benchmarks (see scripts/lib/cluster.sh).
#   eval "$(scripts/cluster.sh up)"      # export RABBITMQ_URL and RABBITMQ_CLUSTER_URL (the three nodes, comma-separated)
#                                        # and RABBITMQ_CLUSTER_MANAGEMENT_URL (node 1's management API)
#   scripts/cluster.sh stop-node N | kill-node N | start-node N    # N = 1, 2 or 3; kill-node = SIGKILL (a crash)
#   scripts/cluster.sh status | down                  # down also deletes the cluster's data
# Only the export lines go to stdout; messages go to stderr. The project's single RabbitMQ is left alone.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/cluster.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/cluster.sh"

case ${1-} in
  up)
    cluster_up
    # The URIs hold no quote: single quotes keep the commas readable.
    printf "export RABBITMQ_CLUSTER_URL='%s'\nexport RABBITMQ_CLUSTER_MANAGEMENT_URL='%s'\nexport RABBITMQ_URL='%s'\n" \
      "$RABBITMQ_CLUSTER_URL" "$RABBITMQ_CLUSTER_MANAGEMENT_URL" "$RABBITMQ_CLUSTER_URL"
    ;;
  down) cluster_down ;;
  stop-node) cluster_stop_node "${2-}" ;;
  kill-node) cluster_kill_node "${2-}" ;;
  start-node) cluster_start_node "${2-}" ;;
  status) cluster_status ;;
  *)
    echo "usage: $0 up|down|status|stop-node N|kill-node N|start-node N   (N = 1, 2 or 3)" >&2
    exit 2
    ;;
esac
