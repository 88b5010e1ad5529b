"""Shared helpers: the package on sys.path, the gateway and database of the run, a stub gateway."""

import http.server
import json
import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def gateway_url():
    url = os.environ.get("GATEWAY_URL")
    if not url:
        raise RuntimeError("GATEWAY_URL is not set: these tests run against a running gateway and writer "
                           "(scripts/lib/python-tests.sh or the .NET test LlmMonitor.WaysIn.Tests start them)")
    return url


def database_url():
    url = os.environ.get("DATABASE_URL")
    if not url:
        raise RuntimeError("DATABASE_URL is not set: the tests read llm_events with psql")
    return url


def literal(value):
    return "'" + str(value).replace("'", "''") + "'"


def query(sql):
    """Rows of a query, as lists of strings (psql, unaligned)."""
    out = subprocess.run(["psql", database_url(), "-XAtq", "-F", "\t", "-c", sql],
                         check=True, capture_output=True, text=True, timeout=30).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def wait_rows(where, expected, timeout=30.0):
    """Waits until `SELECT count(*) FROM llm_events WHERE <where>` reaches `expected`; returns the last count."""
    deadline = time.time() + timeout
    count = -1
    while time.time() < deadline:
        count = int(query("SELECT count(*) FROM llm_events WHERE " + where)[0][0])
        if count >= expected:
            return count
        time.sleep(0.2)
    return count


class StubGateway:
    """/api/events/batch on a loopback port: keeps what it accepts; `answers` are status codes to give first."""

    def __init__(self, answers=()):
        self.events, self.requests, self.answers = [], 0, list(answers)
        self.lock = threading.Lock()
        stub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with stub.lock:
                    stub.requests += 1
                    status = stub.answers.pop(0) if stub.answers else 202
                    if status == 202:
                        stub.events.extend(body)
                payload = json.dumps({"accepted": [e["event_id"] for e in body], "rejected": []} if status == 202
                                     else {"title": "no"}).encode()
                self.send_response(status)
                if status == 503:
                    self.send_header("Retry-After", "0")
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
