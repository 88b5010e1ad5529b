#!/usr/bin/env bash
# Runs the whole of LLM Monitor on this machine: PostgreSQL and RabbitMQ (reused when they answer,
# otherwise installed with apt and started with their data under .data/), then the four services.
# Ctrl-C stops the services, and the servers if this script started them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/servers.sh

LOGS=.data/logs
SERVICES=(
  "ingest-gateway LlmMonitor.IngestGateway ${GATEWAY_URL:-http://localhost:8000}"
  "writer-worker LlmMonitor.WriterWorker ${WRITER_URL:-http://localhost:8001}"
  "aggregator LlmMonitor.Aggregator ${AGGREGATOR_URL:-http://localhost:8002}"
  "web-ui LlmMonitor.WebUi ${WEB_UI_URL:-http://localhost:3000}"
)
PIDS=()

stop() {
  trap - INT TERM EXIT
  echo "stopping…" >&2
  ((${#PIDS[@]})) && kill "${PIDS[@]}" 2>/dev/null && wait "${PIDS[@]}" 2>/dev/null
  servers_down_started
}

servers_up
trap stop INT TERM EXIT
echo "building (Release)…" >&2
dotnet build LlmMonitor.slnx -c Release -nologo -v quiet -clp:ErrorsOnly >&2

mkdir -p "$LOGS"
for service in "${SERVICES[@]}"; do
  read -r folder assembly url <<<"$service"
  ASPNETCORE_URLS=$url ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Production} \
    dotnet "services/$folder/bin/Release/net10.0/$assembly.dll" >"$LOGS/$folder.log" 2>&1 &
  PIDS+=($!)
done

for service in "${SERVICES[@]}"; do
  read -r folder _ url <<<"$service"
  for _ in $(seq 1 120); do
    curl -fs "$url/health/live" >/dev/null && break
    sleep 0.5
  done
  curl -fs "$url/health/live" >/dev/null || { echo "$folder did not start; see $LOGS/$folder.log" >&2; exit 1; }
done

cat <<MSG

LLM Monitor is running (logs in $LOGS/):
  dashboard        ${WEB_UI_URL:-http://localhost:3000}
  ingest API       ${GATEWAY_URL:-http://localhost:8000}   (Swagger UI: /docs)
  writer health    ${WRITER_URL:-http://localhost:8001}/health/ready
  aggregator       ${AGGREGATOR_URL:-http://localhost:8002}/health/ready
  PostgreSQL       $DATABASE_URL
  RabbitMQ         $RABBITMQ_URL   (management: ${RABBITMQ_MANAGEMENT_URL:-n/a})

Send an event:
  curl -X POST ${GATEWAY_URL:-http://localhost:8000}/api/events -H 'Content-Type: application/json' \\
       -d '{"model":"gpt-4o","prompt_tokens":120,"completion_tokens":40,"latency_ms":830}'

Press Ctrl-C to stop.
MSG
wait
