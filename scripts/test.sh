#!/usr/bin/env bash
# Runs every test: unit, integration against real PostgreSQL and RabbitMQ (reused when they answer,
# otherwise installed with apt and started here, then stopped at the end), and browser tests in
# Debian's Chromium (installed with apt when missing).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/servers.sh
source scripts/lib/browser.sh

browser_ensure
servers_up
trap servers_down_started EXIT

dotnet build LlmMonitor.slnx -c Release -nologo -v quiet -clp:ErrorsOnly
# -m:1: one test project at a time, since the outage tests stop and start the shared servers.
dotnet test LlmMonitor.slnx -c Release --no-build -nologo -m:1 --logger "console;verbosity=normal" --results-directory TestResults
