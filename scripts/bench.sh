#!/usr/bin/env bash
# mfa-profile measured on the path users take, in one run, side by side:
# 1. Over HTTPS, against a local STS and IAM stub (scripts/sts_stub.py) whose certificate chain
#    comes from a CA made now (RSA 2048 root and intermediate, like AWS's): a refresh, the skip
#    path, `status`, `credential-process` and the start-up alone, next to a minimal program
#    doing a refresh's work on the SDK (examples/minimal_refresh.rs: aws-sdk-sts's
#    GetSessionToken on the same rustls-ring connector, X25519 first, and an atomic write with
#    fsync), and the same program with rustls's own key-exchange order (P-384 first since rustls
#    0.23.48). Client CPU time (user + system) and wall time of every run, interleaved
#    (scripts/bench_cpu.py), and instruction counts (valgrind's callgrind, stable where times
#    are not). Then `status --keys` and `rotate` against the same stub: their calls, and the
#    connections they open (the stub's count and strace's).
# 2. Against one local moto STS (plain http): mfa-profile, broamski's aws-mfa, the manual AWS
#    CLI flow and one bare STS round trip with curl; a refresh on a 10,000-profile file; peak
#    memory; the network calls a refresh makes.
# Writes bench/results.md and checks the budgets (exit 1 when one is missed).
# Usage: bash scripts/bench.sh [RUNS]   (runs per command, default 30)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-30}"
. scripts/tools.sh
ensure_python_tools
missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
[ -x /usr/bin/time ] || missing+=(time)
command -v strace >/dev/null || missing+=(strace)
command -v valgrind >/dev/null || missing+=(valgrind)
command -v openssl >/dev/null || missing+=(openssl)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v aws-mfa >/dev/null || python3 -m pip install --quiet --disable-pip-version-check aws-mfa
command -v pyenv >/dev/null && pyenv rehash || true
# The real executables, not pyenv shims (a shim adds a bash + pyenv start-up to every run).
real() { if command -v pyenv >/dev/null && pyenv which "$1" >/dev/null 2>&1; then pyenv which "$1"; else command -v "$1"; fi; }
AWS_MFA=$(real aws-mfa)
AWS=$(real aws)
PYTHON=$(real python3)
VALGRIND=$(command -v valgrind)
cargo build --release --locked --quiet --bin mfa-profile --example minimal_refresh
target_dir="$(cargo_target_dir)"
BIN="$target_dir/release/mfa-profile"
MINIMAL="$target_dir/release/examples/minimal_refresh"

work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
free_port() { "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# moto, plain http.
port=$(free_port)
moto_server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
pids+=($!)
URL="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -s -o /dev/null "$URL" && break; sleep 0.1; done

# The HTTPS STS: a CA made now, a certificate for localhost and 127.0.0.1 it signs through an
# intermediate, the stub serving that chain.
tls="$work/tls"
mkdir -p "$tls"
ossl() { openssl "$@" 2>/dev/null; }
ossl req -x509 -newkey rsa:2048 -nodes -keyout "$tls/root.key" -out "$tls/root.pem" -days 2 \
  -subj "/CN=mfa-profile bench root CA" -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
ossl req -newkey rsa:2048 -nodes -keyout "$tls/int.key" -out "$tls/int.csr" -subj "/CN=mfa-profile bench intermediate CA"
printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' >"$tls/int.ext"
ossl x509 -req -in "$tls/int.csr" -CA "$tls/root.pem" -CAkey "$tls/root.key" -CAcreateserial -out "$tls/int.pem" -days 2 -extfile "$tls/int.ext"
ossl req -newkey rsa:2048 -nodes -keyout "$tls/server.key" -out "$tls/server.csr" -subj "/CN=localhost"
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' >"$tls/server.ext"
ossl x509 -req -in "$tls/server.csr" -CA "$tls/int.pem" -CAkey "$tls/int.key" -CAcreateserial -out "$tls/leaf.pem" -days 2 -extfile "$tls/server.ext"
cat "$tls/leaf.pem" "$tls/int.pem" >"$tls/chain.pem"
AKID=AKIAIOSFODNN7EXAMPLE
"$PYTHON" scripts/sts_stub.py "$tls/chain.pem" "$tls/server.key" "$tls/port" "$AKID" 2>"$work/stub.log" &
pids+=($!)
for _ in $(seq 100); do [ -s "$tls/port" ] && break; sleep 0.1; done
HTTPS="https://localhost:$(cat "$tls/port")"
# The system's CA bundle with the test CA added: what a refresh trusts by default, plus the
# one certificate that lets it reach the stub.
system_bundle=""
for f in /etc/ssl/certs/ca-certificates.crt /etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem /etc/ssl/cert.pem; do
  [ -f "$f" ] && { system_bundle=$f; break; }
done
[ -n "$system_bundle" ] || { echo "no system CA bundle found" >&2; exit 1; }
cat "$system_bundle" "$tls/root.pem" >"$tls/system-and-test.pem"
system_certs=$(grep -c 'BEGIN CERTIFICATE' "$system_bundle")

SECRET=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
SERIAL=arn:aws:iam::123456789012:mfa/alice
home_with() { local h="$work/$1"; mkdir -p "$h/.aws"; chmod 700 "$h/.aws"; cat >"$h/.aws/credentials"; chmod 600 "$h/.aws/credentials"; echo "$h"; }
source_profile="[default]
aws_access_key_id = $AKID
aws_secret_access_key = $SECRET
mfa_serial = $SERIAL"

H_MFA=$(home_with mfa <<<"$source_profile")
H_SKIP=$(home_with skip <<<"$source_profile")
H_TLS=$(home_with tls <<<"$source_profile")
H_TLS_SYSTEM=$(home_with tls-system <<<"$source_profile")
H_MIN=$(home_with minimal <<<"$source_profile")
H_MIN_SYSTEM=$(home_with minimal-system <<<"$source_profile")
H_MIN_P384=$(home_with minimal-p384 <<<"$source_profile")
H_KEYS=$(home_with keys <<<"$source_profile")
H_AWSMFA=$(home_with awsmfa <<<"[default-long-term]
aws_access_key_id = $AKID
aws_secret_access_key = $SECRET
aws_mfa_device = $SERIAL")
H_CLI=$(home_with cli <<<"$source_profile")
big_file() {
  "$PYTHON" - "$AKID" "$SECRET" "$SERIAL" <<'PY'
import sys
akid, secret, serial = sys.argv[1:]
print(f"[default]\naws_access_key_id = {akid}\naws_secret_access_key = {secret}\nmfa_serial = {serial}\n")
for i in range(10000):
    print(f"# account {i}: team keys\n[profile-{i}]\naws_access_key_id = AKIA{i:016}\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCY{i:010}\nregion = eu-west-1\n")
PY
}
H_BIG=$(big_file | home_with big)
H_BIG_TLS=$(big_file | home_with big-tls)
# Clean environments: HOME only, STS pointed at moto through the SDKs' own variable.
e() { local h=$1; shift; env -i PATH="$PATH" HOME="$h" AWS_DEFAULT_REGION=us-east-1 AWS_ENDPOINT_URL_STS="$URL" "$@"; }
# Make the skip and aws-mfa "still valid" homes valid.
e "$H_SKIP" "$BIN" 123456 >/dev/null 2>&1
echo 123456 >"$work/code.txt"
e "$H_AWSMFA" "$AWS_MFA" <"$work/code.txt" >/dev/null 2>&1
e "$H_BIG" "$BIN" 123456 >/dev/null 2>&1

# 1. HTTPS, next to the minimal program: each row is its environment and its command.
declare -a tnames tenvs tcmds
trow() { tnames+=("$1"); tenvs+=("$2"); tcmds+=("$3"); }
minimal_env="HOME=$H_MIN"
tls_env="PATH=$PATH HOME=$H_TLS AWS_ENDPOINT_URL_STS=$HTTPS AWS_CA_BUNDLE=$tls/root.pem"
system_env="PATH=$PATH HOME=$H_TLS_SYSTEM AWS_ENDPOINT_URL_STS=$HTTPS AWS_CA_BUNDLE=$tls/system-and-test.pem"
trow "minimal: aws-sdk-sts GetSessionToken over TLS + atomic write (floor)" "$minimal_env" "$MINIMAL localhost $(cat "$tls/port") $tls/root.pem $H_MIN/.aws/credentials"
trow "minimal, rustls's own key-exchange order (P-384 first)" "HOME=$H_MIN_P384 MINIMAL_RUSTLS_ORDER=1" "$MINIMAL localhost $(cat "$tls/port") $tls/root.pem $H_MIN_P384/.aws/credentials"
trow "mfa-profile --force over HTTPS (refresh)" "$tls_env" "$BIN --force 123456"
trow "minimal, trusting the system's $system_certs CAs too" "HOME=$H_MIN_SYSTEM" "$MINIMAL localhost $(cat "$tls/port") $tls/system-and-test.pem $H_MIN_SYSTEM/.aws/credentials"
trow "mfa-profile --force over HTTPS, trusting the system's $system_certs CAs too" "$system_env" "$BIN --force 123456"
trow "mfa-profile, target still valid (skip)" "PATH=$PATH HOME=$H_SKIP AWS_ENDPOINT_URL_STS=https://127.0.0.1:9" "$BIN 123456"
trow "mfa-profile status" "PATH=$PATH HOME=$H_SKIP" "$BIN status"
trow "mfa-profile credential-process" "PATH=$PATH HOME=$H_SKIP" "$BIN credential-process mfa"
trow "mfa-profile --version (start-up alone)" "PATH=$PATH HOME=$H_SKIP" "$BIN --version"
trow "mfa-profile --force over HTTPS on a 10,000-profile file (2 MB)" "PATH=$PATH HOME=$H_BIG_TLS AWS_ENDPOINT_URL_STS=$HTTPS AWS_CA_BUNDLE=$tls/root.pem" "$BIN --force 123456"
args=()
for i in "${!tnames[@]}"; do args+=("${tnames[$i]}" "env -i ${tenvs[$i]} ${tcmds[$i]}"); done
"$PYTHON" scripts/bench_cpu.py "$runs" 3 "$work/cpu.json" "${args[@]}"
grep -q '^aws_session_token' "$H_TLS/.aws/credentials" || { echo "the HTTPS refresh wrote no session" >&2; exit 1; }
grep -q '^aws_session_token' "$H_MIN/.aws/credentials" || { echo "the minimal program wrote no session" >&2; exit 1; }

# mfa-profile sends one code per MFA device per 30 s window; the benchmark's refreshes, a
# fraction of a second apart, each start as if the next window had come.
forget_code_windows() { find "$work" -path '*/.aws/cli/cache/mfa-profile/*.json' -delete; }

# Instructions: callgrind, three runs of each.
: >"$work/instructions.tsv"
for i in "${!tnames[@]}"; do
  for _ in 1 2 3; do
    forget_code_windows
    # shellcheck disable=SC2086 # the rows are word lists
    env -i ${tenvs[$i]} "$VALGRIND" --tool=callgrind --callgrind-out-file=/dev/null ${tcmds[$i]} \
      >/dev/null 2>"$work/valgrind.txt" || { echo "callgrind run failed: ${tnames[$i]}" >&2; cat "$work/valgrind.txt" >&2; exit 1; }
    count=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$work/valgrind.txt")
    printf '%s\t%s\n' "${tnames[$i]}" "$count" >>"$work/instructions.tsv"
  done
done

# `status --keys` and `rotate` over HTTPS: the calls each makes, and the connections it opens.
keys_env="PATH=$PATH HOME=$H_KEYS AWS_ENDPOINT_URL_STS=$HTTPS AWS_ENDPOINT_URL_IAM=$HTTPS AWS_CA_BUNDLE=$tls/root.pem"
# shellcheck disable=SC2086
env -i $keys_env "$BIN" 123456 >/dev/null 2>&1
: >"$work/keys.tsv"
for command in "status --keys" "rotate --yes --delete --code-command 'echo 123456'"; do
  read -r connections_before requests_before <"$tls/port.counts"
  # shellcheck disable=SC2086
  eval strace -f -qq -e trace=connect -o "$work/keys-strace.txt" env -i $keys_env "$BIN" $command >/dev/null 2>"$work/keys-err.txt" \
    || { echo "mfa-profile $command failed" >&2; cat "$work/keys-err.txt" >&2; exit 1; }
  read -r connections_after requests_after <"$tls/port.counts"
  inet=$(grep -c 'AF_INET' "$work/keys-strace.txt" || true)
  printf 'mfa-profile %s\t%s\t%s\t%s\n' "${command%% --code-command*}" "$((requests_after - requests_before))" \
    "$((connections_after - connections_before))" "$inet" >>"$work/keys.tsv"
done

# 2. moto, side by side with the other tools.
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
hyperfine -N --warmup 3 --runs "$runs" \
  --prepare "find $work -path */.aws/cli/cache/mfa-profile/*.json -delete" --export-json "$work/hyperfine.json" "${args[@]}" >"$work/hyperfine.txt"

grep -q '^aws_session_token' "$H_CLI/.aws/credentials" || { echo "the manual flow wrote no session" >&2; exit 1; }
grep -q '^aws_session_token' "$H_AWSMFA/.aws/credentials" || { echo "aws-mfa wrote no session" >&2; exit 1; }

# Peak memory (max RSS), one run each.
: >"$work/rss.txt"
for i in "${!names[@]}"; do
  forget_code_windows
  /usr/bin/time -f '%M' -o "$work/one-rss" bash -c "${cmds[$i]} <$work/code.txt >/dev/null 2>\"$work/one-err\"" \
    || { echo "peak-memory run failed: ${names[$i]}" >&2; cat "$work/one-err" >&2; }
  rss=$(tail -1 "$work/one-rss")
  printf '%s\t%s\n' "${names[$i]}" "$rss" >>"$work/rss.txt"
done
forget_code_windows
# shellcheck disable=SC2086
env -i $tls_env /usr/bin/time -f '%M' -o "$work/one-rss" "$BIN" --force 123456 >/dev/null 2>&1
printf '%s\t%s\n' "mfa-profile --force over HTTPS (refresh)" "$(tail -1 "$work/one-rss")" >>"$work/rss.txt"

# Network: every connect() mfa-profile makes during a refresh.
forget_code_windows
# shellcheck disable=SC2086
strace -f -qq -e trace=connect -o "$work/strace.txt" env -i $tls_env "$BIN" --force 123456 2>/dev/null
size=$(stat -c %s "$BIN")
machine="$(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)"
mkdir -p bench
status=0
"$PYTHON" scripts/bench_report.py "$work/cpu.json" "$work/instructions.tsv" "$work/hyperfine.json" "$work/rss.txt" \
  "$work/strace.txt" "$work/keys.tsv" "$size" "$machine" "$runs" >bench/results.md || status=$?
cat bench/results.md
exit "$status"
