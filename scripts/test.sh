#!/usr/bin/env bash
# Runs every test: unit, integration against real PostgreSQL and RabbitMQ (reused when they answer,
# otherwise installed with apt and started here, then stopped at the end), the cluster test against a
# 3-node RabbitMQ cluster (scripts/cluster.sh: started here while the solution builds, stopped and deleted
# at the end unless it was running before), and browser tests in Debian's Chromium (installed with apt
# when missing).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/servers.sh
source scripts/lib/browser.sh
source scripts/lib/cluster.sh

browser_ensure
servers_up
cluster_up_background
trap 'cluster_down_started; servers_down_started' EXIT

dotnet build LlmMonitor.slnx -c Release -nologo -v quiet -clp:ErrorsOnly
cluster_up_wait # exports RABBITMQ_CLUSTER_URL for ClusterTests (which fail without it)
# -m:1: one test project at a time, since the outage tests stop and start the shared servers.
mkdir -p TestResults
status=0
dotnet test LlmMonitor.slnx -c Release --no-build -nologo -m:1 --logger "console;verbosity=normal" \
  --results-directory TestResults 2>&1 | tee TestResults/test-output.log || status=$?
# CI keeps only the end of the output: repeat what went wrong there.
if ((status != 0)); then
  echo "==================== what failed (full output: TestResults/test-output.log)"
  grep -E -A 15 '^\s+Failed |Test Run Aborted|aborted|crashed|error [A-Z]+[0-9]+:' TestResults/test-output.log |
    grep -v -E '^\s+Passed ' | cut -c1-400 | head -n 300 || true
fi
exit "$status"
