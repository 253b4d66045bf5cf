#!/usr/bin/env bash
# Runs the whole test suite: unit tests, the editor's conformance and property tests, and the
# end-to-end tests against a local moto STS read back by the AWS CLI, boto3, aws-config and the
# JavaScript SDK's parser. Installs moto, awscli and boto3 from PyPI; setsid, script, unshare,
# ip, fish, zsh, tzdata, Xvfb, zenity, xdotool, gnome-keyring, secret-tool, dbus, cron,
# systemd-analyze, notify-send, gdbus and Python's D-Bus bindings from Debian; the JavaScript
# reader and SDK from npm (tests/js, tests/js-sdk); each when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/tools.sh
ensure_python_tools
ensure_terminal_tools
ensure_network_tools
ensure_shells
ensure_desktop_tools
ensure_keychain_tools
ensure_schedule_tools
ensure_tzdata
ensure_js_reader
ensure_js_sdk
export PROPTEST_CASES="${PROPTEST_CASES:-2000}"
cargo test --locked --features failpoints,fuzzing
