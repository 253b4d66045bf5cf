#!/usr/bin/env bash
# Side-by-side timings of a refresh against one local moto STS: mfa-profile, broamski's
# aws-mfa, the manual AWS CLI flow, and one bare STS round trip with curl (the floor); the
# skip path and `status`; a refresh on a 10,000-profile file; peak memory of each; the
# network calls mfa-profile makes. Writes the table to bench/results.md and checks the budget.
# Usage: bash scripts/bench.sh [RUNS]   (hyperfine runs per command, default 30)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-30}"
. scripts/tools.sh
ensure_python_tools
if ! command -v hyperfine >/dev/null; then
  apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null
fi
[ -x /usr/bin/time ] || apt-get install -y -qq time >/dev/null
command -v strace >/dev/null || apt-get install -y -qq strace >/dev/null
command -v aws-mfa >/dev/null || python3 -m pip install --quiet --disable-pip-version-check aws-mfa
command -v pyenv >/dev/null && pyenv rehash || true
# The real executables, not pyenv shims (a shim adds a bash + pyenv start-up to every run).
real() { if command -v pyenv >/dev/null && pyenv which "$1" >/dev/null 2>&1; then pyenv which "$1"; else command -v "$1"; fi; }
AWS_MFA=$(real aws-mfa)
AWS=$(real aws)
cargo build --release --locked --quiet
BIN="$PWD/target/release/mfa-profile"

work=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
moto_server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto=$!
trap 'kill $moto 2>/dev/null || true; rm -rf "$work"' EXIT
URL="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -s -o /dev/null "$URL" && break; sleep 0.1; done

AKID=AKIAIOSFODNN7EXAMPLE
SECRET=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
SERIAL=arn:aws:iam::123456789012:mfa/alice
home_with() { local h="$work/$1"; mkdir -p "$h/.aws"; chmod 700 "$h/.aws"; cat >"$h/.aws/credentials"; chmod 600 "$h/.aws/credentials"; echo "$h"; }
source_profile="[default]
aws_access_key_id = $AKID
aws_secret_access_key = $SECRET
mfa_serial = $SERIAL"

H_MFA=$(home_with mfa <<<"$source_profile")
H_SKIP=$(home_with skip <<<"$source_profile")
H_AWSMFA=$(home_with awsmfa <<<"[default-long-term]
aws_access_key_id = $AKID
aws_secret_access_key = $SECRET
aws_mfa_device = $SERIAL")
H_CLI=$(home_with cli <<<"$source_profile")
H_BIG=$(python3 - "$AKID" "$SECRET" "$SERIAL" <<'PY' | home_with big
import sys
akid, secret, serial = sys.argv[1:]
print(f"[default]\naws_access_key_id = {akid}\naws_secret_access_key = {secret}\nmfa_serial = {serial}\n")
for i in range(10000):
    print(f"# account {i}: team keys\n[profile-{i}]\naws_access_key_id = AKIA{i:016}\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCY{i:010}\nregion = eu-west-1\n")
PY
)
# Clean environments: HOME only, STS pointed at moto through the SDKs' own variable.
e() { local h=$1; shift; env -i PATH="$PATH" HOME="$h" AWS_DEFAULT_REGION=us-east-1 AWS_ENDPOINT_URL_STS="$URL" "$@"; }
# Make the skip and aws-mfa "still valid" homes valid.
e "$H_SKIP" "$BIN" 123456 >/dev/null 2>&1
echo 123456 >"$work/code.txt"
e "$H_AWSMFA" "$AWS_MFA" <"$work/code.txt" >/dev/null 2>&1
e "$H_BIG" "$BIN" 123456 >/dev/null 2>&1

CURL="curl -s -o /dev/null -X POST -H 'Content-Type: application/x-www-form-urlencoded' -H 'Authorization: AWS4-HMAC-SHA256 Credential=$AKID/20261122/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=0' -d 'Action=GetSessionToken&Version=2011-06-15&SerialNumber=$SERIAL&TokenCode=123456&DurationSeconds=43200' $URL/"
cat >"$work/manual.sh" <<MANUAL
set -e
read -r k s t < <("$AWS" sts get-session-token --serial-number $SERIAL --token-code 123456 --output text --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]')
"$AWS" configure set aws_access_key_id "\$k" --profile mfa
"$AWS" configure set aws_secret_access_key "\$s" --profile mfa
"$AWS" configure set aws_session_token "\$t" --profile mfa
MANUAL

declare -a names cmds
add() { names+=("$1"); cmds+=("$2"); }
add "curl: one bare STS round trip (floor)" "$CURL"
add "mfa-profile --force (refresh)" "env -i PATH=$PATH HOME=$H_MFA AWS_ENDPOINT_URL_STS=$URL $BIN --force 123456"
add "aws-mfa --force (refresh)" "env -i PATH=$PATH HOME=$H_AWSMFA AWS_DEFAULT_REGION=us-east-1 AWS_ENDPOINT_URL_STS=$URL sh -c '$AWS_MFA --force <$work/code.txt'"
add "manual: aws sts get-session-token + 3x aws configure set" "env -i PATH=$PATH HOME=$H_CLI AWS_DEFAULT_REGION=us-east-1 AWS_ENDPOINT_URL_STS=$URL bash $work/manual.sh"
add "mfa-profile, target still valid (skip)" "env -i PATH=$PATH HOME=$H_SKIP AWS_ENDPOINT_URL_STS=http://127.0.0.1:9 $BIN 123456"
add "mfa-profile status" "env -i PATH=$PATH HOME=$H_SKIP $BIN status"
add "aws-mfa, target still valid" "env -i PATH=$PATH HOME=$H_AWSMFA AWS_DEFAULT_REGION=us-east-1 AWS_ENDPOINT_URL_STS=$URL sh -c '$AWS_MFA <$work/code.txt'"
add "mfa-profile --force on a 10,000-profile file (2 MB)" "env -i PATH=$PATH HOME=$H_BIG AWS_ENDPOINT_URL_STS=$URL $BIN --force 123456"

args=()
for i in "${!names[@]}"; do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
# -N: no intermediate shell; aws-mfa reads its code from stdin, so its two commands run under
# `sh -c '... <code'` (a few ms on top of ~0.4 s).
hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/hyperfine.json" "${args[@]}" >"$work/hyperfine.txt"

grep -q '^aws_session_token' "$H_CLI/.aws/credentials" || { echo "the manual flow wrote no session" >&2; exit 1; }
grep -q '^aws_session_token' "$H_AWSMFA/.aws/credentials" || { echo "aws-mfa wrote no session" >&2; exit 1; }

# Peak memory (max RSS), one run each.
: >"$work/rss.txt"
for i in "${!names[@]}"; do
  /usr/bin/time -f '%M' -o "$work/one-rss" bash -c "${cmds[$i]} <$work/code.txt >/dev/null 2>\"$work/one-err\"" \
    || { echo "peak-memory run failed: ${names[$i]}" >&2; cat "$work/one-err" >&2; }
  rss=$(tail -1 "$work/one-rss")
  printf '%s\t%s\n' "${names[$i]}" "$rss" >>"$work/rss.txt"
done

# Network: every connect() mfa-profile makes during a refresh.
strace -f -qq -e trace=connect -o "$work/strace.txt" env -i PATH="$PATH" HOME="$H_MFA" AWS_ENDPOINT_URL_STS="$URL" "$BIN" --force 123456 2>/dev/null
size=$(stat -c %s "$BIN")
machine="$(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)"
mkdir -p bench
python3 scripts/bench_report.py "$work/hyperfine.json" "$work/rss.txt" "$work/strace.txt" "$size" "$machine" "$runs" | tee bench/results.md
