#!/usr/bin/env bash
# The main job on a local default: a throw-away HOME whose ~/.aws/credentials holds a
# [default] profile with placeholder keys and comments, a local STS emulator (moto) on a free
# 127.0.0.1 port, one `mfa-profile 123456`, the file before and after, a skip, a forced
# refresh with a second code (after the device's 30 s code window), and `status`. No AWS
# account.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/tools.sh
ensure_python_tools
echo "== building mfa-profile with cargo (a first build compiles ~250 crates: a few minutes)" >&2
# The binary's path as cargo reports it (CARGO_TARGET_DIR and the like honoured); cargo's own
# progress goes to the terminal meanwhile.
bin=$(cargo build --locked --message-format=json-render-diagnostics | python3 -c '
import json, sys
for line in sys.stdin:
    message = json.loads(line)
    if message.get("reason") == "compiler-artifact" and message.get("executable") \
            and message["target"]["name"] == "mfa-profile":
        print(message["executable"])
')
[ -x "$bin" ] || { echo "error: cargo reported no mfa-profile binary" >&2; exit 1; }

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
home=$(mktemp -d)
moto_server -H 127.0.0.1 -p "$port" >"$home/moto.log" 2>&1 &
moto=$!
trap 'kill $moto 2>/dev/null || true; rm -rf "$home"' EXIT
for _ in $(seq 100); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null && break
  sleep 0.1
done

mkdir -m 700 "$home/.aws"
cat >"$home/.aws/credentials" <<'CREDS'
# Long-term keys of my IAM user (placeholders from the AWS docs).
[default]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
mfa_serial = arn:aws:iam::123456789012:mfa/alice

; a client account, untouched by the refresh
[client]
aws_access_key_id=AKIAI44QH8DHBEXAMPLE
aws_secret_access_key=je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY
CREDS
chmod 600 "$home/.aws/credentials"
cp "$home/.aws/credentials" "$home/before"

run() { env -i PATH="$PATH" HOME="$home" "$@"; }
echo "== ~/.aws/credentials before"
cat "$home/before"
echo
echo "== mfa-profile 123456   (STS is moto at http://127.0.0.1:$port)"
run "$bin" 123456 --endpoint-url "http://127.0.0.1:$port"
echo
echo "== what changed (diff before after)"
diff "$home/before" "$home/.aws/credentials" || true
echo
echo "== aws --profile mfa sts get-caller-identity"
run aws --profile mfa --region us-east-1 --endpoint-url "http://127.0.0.1:$port" sts get-caller-identity --output text
echo
echo "== a second run skips: [mfa] is still valid"
run "$bin" 654321 --endpoint-url "http://127.0.0.1:$port"
echo
echo "== --force refreshes [mfa] in place now, a 1h session, with a second code"
echo "   STS takes one code per MFA device per 30 s window, so mfa-profile waits for the device's"
echo "   next window; a code command (here echo; ykman or op in real life) gives the new code"
run "$bin" --force --duration 1h --code-command 'echo 654321' --endpoint-url "http://127.0.0.1:$port"
diff "$home/before" "$home/.aws/credentials" || true
echo
echo "== mfa-profile status"
run "$bin" status
