#!/usr/bin/env bash
# The Python SDK's tests (standard library only, python3 -m unittest) against a running gateway and writer.
#
#   source scripts/lib/python-tests.sh
#   GATEWAY_URL=http://localhost:8000 DATABASE_URL=postgres://… python_sdk_tests
#
# GATEWAY_URL: the ingest gateway; DATABASE_URL: its database as a postgres:// URI (the tests read llm_events
# with psql). `dotnet test` on the solution runs the same suite through LlmMonitor.WaysIn.Tests, which starts
# its own gateway and writer, so scripts/test.sh needs nothing more.

python_sdk_tests() {
  local repo
  repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  : "${GATEWAY_URL:?set GATEWAY_URL to the ingest gateway, e.g. http://localhost:8000}"
  : "${DATABASE_URL:?set DATABASE_URL to the database of the gateway, as a postgres:// URI}"
  command -v python3 >/dev/null || { echo "python3 is required" >&2; return 1; }
  command -v psql >/dev/null || { echo "psql is required (apt-get install postgresql-client)" >&2; return 1; }
  (cd "$repo" && GATEWAY_URL=$GATEWAY_URL DATABASE_URL=$DATABASE_URL PYTHONDONTWRITEBYTECODE=1 \
    python3 -m unittest discover -v -s sdk/python/tests)
}
