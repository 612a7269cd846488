# shellcheck shell=bash
# Copyright 2026 The swift-lambda-rie authors
# SPDX-License-Identifier: Apache-2.0
#
# Shared helpers for Scripts/*: the repository root, system tools, and the Python venv for the e2e suite.
# Source it; it defines functions only (and REPO_ROOT).

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

log() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# apt-get install Debian packages. Runs `apt-get update` only if the first attempt fails (a fresh machine
# may have no package lists yet).
apt_install() {
    command -v apt-get >/dev/null 2>&1 || die "need Debian packages $* and there is no apt-get"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    log "installing $*"
    if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "$@" >/dev/null 2>&1; then
        DEBIAN_FRONTEND=noninteractive $sudo apt-get update -q >/dev/null
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "$@" >/dev/null
    fi
}

# Installs the Debian packages whose commands are missing.
# Usage: ensure_commands curl:curl unzip:unzip   (command:package pairs)
ensure_commands() {
    local missing=() pair
    for pair in "$@"; do
        command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
    done
    [ "${#missing[@]}" -eq 0 ] || apt_install "${missing[@]}"
}

# The tools the e2e fixtures and scripts use.
ensure_e2e_tools() {
    ensure_commands curl:curl unzip:unzip mkfifo:coreutils head:coreutils tr:coreutils grep:grep
}

# Installs Debian's chromium (the browser the Function URL e2e test drives headless) if it is missing.
# Prints its path. Idempotent: nothing is installed, and apt-get is not run, when it is already there.
ensure_chromium() {
    ensure_commands chromium:chromium
    command -v chromium
}

# Prints a Python >= 3.9 interpreter: $E2E_PYTHON, pyenv's 3.11, python3.11, python3.
find_python() {
    local c
    for c in "${E2E_PYTHON:-}" /root/.pyenv/versions/3.11*/bin/python3.11 "$(command -v python3.11 2>/dev/null)" \
             "$(command -v python3 2>/dev/null)"; do
        if [ -z "$c" ] || [ ! -x "$c" ]; then continue; fi
        if "$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' 2>/dev/null; then
            printf '%s\n' "$c"; return 0
        fi
    done
    ensure_commands python3:python3
    command -v python3
}

# Creates or refreshes $REPO_ROOT/.venv from Tests/e2e/requirements.txt (pinned). Prints the venv's python.
ensure_venv() {
    local venv="$REPO_ROOT/.venv" req="$REPO_ROOT/Tests/e2e/requirements.txt" stamp want py
    want="$(sha256sum "$req" | cut -d' ' -f1)"
    stamp="$venv/.requirements.sha256"
    if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
        printf '%s\n' "$venv/bin/python"; return 0
    fi
    py="$(find_python)"
    log "creating $venv with $py"
    rm -rf "$venv"
    if ! "$py" -m venv "$venv" >/dev/null 2>&1; then
        apt_install python3-venv
        rm -rf "$venv"
        "$py" -m venv "$venv" >&2
    fi
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$req" >&2
    printf '%s\n' "$want" > "$stamp"
    printf '%s\n' "$venv/bin/python"
}
