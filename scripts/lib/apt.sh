#!/usr/bin/env bash
# Installs Debian packages for the scripts that need them (servers, the browser for UI tests).
_apt_install() { # PACKAGE...
  printf '[apt] installing %s with apt-get (waits for the dpkg lock)\n' "$*" >&2
  local apt=(env DEBIAN_FRONTEND=noninteractive apt-get -qq -o DPkg::Lock::Timeout=900)
  # A fresh machine may have empty package lists ("Unable to locate package"): update once and retry.
  "${apt[@]}" install -y "$@" >&2 || { "${apt[@]}" update >&2 && "${apt[@]}" install -y "$@" >&2; }
}
