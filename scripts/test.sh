#!/usr/bin/env bash
# Runs every test: unit tests, and integration tests against real PostgreSQL and RabbitMQ (reused when
# they answer, otherwise installed with apt and started here, then stopped at the end).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/servers.sh

servers_up
trap servers_down_started EXIT

dotnet build LlmMonitor.slnx -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet test LlmMonitor.slnx -c Release --no-build -nologo --logger "console;verbosity=normal" --results-directory TestResults
