# Sourced by the scripts: makes sure the external tools the tests and the demo use are here
# (moto's STS emulator, the AWS CLI v1, boto3), installing them from PyPI when missing.
ensure_python_tools() {
  export PATH="$HOME/.local/bin:$PATH"
  local missing=()
  command -v moto_server >/dev/null 2>&1 || missing+=("moto[server]")
  command -v aws >/dev/null 2>&1 || missing+=("awscli")
  python3 -c 'import boto3' >/dev/null 2>&1 || missing+=("boto3")
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing from PyPI: ${missing[*]}" >&2
    python3 -m pip install --quiet --disable-pip-version-check "${missing[@]}" \
      || python3 -m pip install --quiet --user --disable-pip-version-check "${missing[@]}"
    command -v pyenv >/dev/null 2>&1 && pyenv rehash || true
    local user_bin
    user_bin="$(python3 -c 'import site; print(site.USER_BASE)')/bin"
    export PATH="$PATH:$user_bin"
  fi
}

# `setsid` (util-linux) runs a command without a controlling terminal and `script` (bsdutils)
# gives one a pseudo-terminal: the tests of prompts and colour need both. Debian-based only.
ensure_terminal_tools() {
  local missing=()
  command -v setsid >/dev/null 2>&1 || missing+=("util-linux")
  command -v script >/dev/null 2>&1 || missing+=("bsdutils")
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing from Debian: ${missing[*]}" >&2
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# `unshare` (util-linux) and `ip` (iproute2) give a test a network namespace of its own, where
# nothing can leave the machine: the plain-http endpoint tests need both. Debian-based only.
ensure_network_tools() {
  local missing=()
  command -v unshare >/dev/null 2>&1 || missing+=("util-linux")
  command -v ip >/dev/null 2>&1 || missing+=("iproute2")
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing from Debian: ${missing[*]}" >&2
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# The JavaScript SDK's profile parser (@smithy/shared-ini-file-loader, pinned in
# tests/js/package-lock.json), the third reader of the conformance and differential tests.
ensure_js_reader() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "installing from Debian: nodejs npm" >&2
    apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
  fi
  if [ ! -d tests/js/node_modules/@smithy/shared-ini-file-loader ]; then
    echo "installing from npm: tests/js (npm ci)" >&2
    npm ci --prefix tests/js --no-audit --no-fund --loglevel=error
  fi
}
