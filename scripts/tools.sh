# Sourced by the scripts: makes sure the external tools the tests and the demo use are here
# (moto's STS emulator, the AWS CLI v1, boto3), installing them from PyPI when missing.

# Installs Debian packages: as root, else through sudo (which asks for your password); waits
# up to 5 minutes for another apt or dpkg (an unattended upgrade) to let go of its lock.
debian_install() {
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "error: installing $* from Debian needs root, and sudo is not here; install them, or run as root" >&2
      return 1
    fi
    echo "installing $* from Debian needs root: asking sudo" >&2
    sudo=(sudo)
  fi
  local lock=(-o DPkg::Lock::Timeout=300)
  local tries=0
  until "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${lock[@]}" update -qq \
      && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${lock[@]}" install -y -qq "$@" >/dev/null; do
    tries=$((tries + 1))
    # apt-get update waits for no lock of its own: a held lock shows as a failure; retry.
    if [ "$tries" -ge 30 ] || ! pgrep -x 'apt|apt-get|dpkg|unattended-upgr' >/dev/null 2>&1; then
      return 1
    fi
    echo "waiting for another apt or dpkg to finish ($tries of 30, 10 s each)" >&2
    sleep 10
  done
}
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
    debian_install "${missing[@]}"
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
    debian_install "${missing[@]}"
  fi
}

# The time-zone database (tzdata): the local-time tests compare `status` with GNU date for
# named zones. Debian-based only (tzdata is a required package there, but images may drop it).
ensure_tzdata() {
  if [ ! -e /usr/share/zoneinfo/Europe/Paris ]; then
    echo "installing from Debian: tzdata" >&2
    debian_install tzdata
  fi
}

# fish and zsh load the completion scripts in the completion tests (bash is always here).
# Debian-based only.
ensure_shells() {
  local missing=()
  command -v fish >/dev/null 2>&1 || missing+=("fish")
  command -v zsh >/dev/null 2>&1 || missing+=("zsh")
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing from Debian: ${missing[*]}" >&2
    debian_install "${missing[@]}"
  fi
}

# A virtual X display (Xvfb), zenity and xdotool: the desktop-dialog prompt is tested for real,
# typed into. Debian-based only.
ensure_desktop_tools() {
  local missing=()
  command -v Xvfb >/dev/null 2>&1 || missing+=("xvfb")
  command -v zenity >/dev/null 2>&1 || missing+=("zenity")
  command -v xdotool >/dev/null 2>&1 || missing+=("xdotool")
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing from Debian: ${missing[*]}" >&2
    debian_install --no-install-recommends "${missing[@]}"
  fi
}

# A Secret Service for the keychain tests: GNOME Keyring's daemon, libsecret's secret-tool and
# dbus-run-session. Debian-based only.
ensure_keychain_tools() {
  local missing=()
  command -v gnome-keyring-daemon >/dev/null 2>&1 || missing+=("gnome-keyring")
  command -v secret-tool >/dev/null 2>&1 || missing+=("libsecret-tools")
  command -v dbus-run-session >/dev/null 2>&1 || missing+=("dbus")
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing from Debian: ${missing[*]}" >&2
    debian_install --no-install-recommends "${missing[@]}"
  fi
}

# The background schedule's real parts: Debian's cron (crontab and the daemon, run by the tests
# in a mount namespace with a spool of their own), systemd-analyze (the units verified),
# notify-send and gdbus (the notification), dbus-run-session and Python's D-Bus and GLib
# bindings (the tests' own notification server, tests/cli/support/notifications.py). Debian-based only.
ensure_schedule_tools() {
  local missing=()
  command -v crontab >/dev/null 2>&1 || missing+=("cron")
  [ -x /usr/sbin/cron ] || command -v cron >/dev/null 2>&1 || missing+=("cron")
  command -v systemd-analyze >/dev/null 2>&1 || missing+=("systemd")
  command -v notify-send >/dev/null 2>&1 || missing+=("libnotify-bin")
  command -v gdbus >/dev/null 2>&1 || missing+=("libglib2.0-bin")
  command -v dbus-run-session >/dev/null 2>&1 || missing+=("dbus")
  /usr/bin/python3 -c 'import dbus, dbus.mainloop.glib' >/dev/null 2>&1 || missing+=("python3-dbus")
  /usr/bin/python3 -c 'import gi.repository.GLib' >/dev/null 2>&1 || missing+=("python3-gi")
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing from Debian: ${missing[*]}" >&2
    debian_install --no-install-recommends "${missing[@]}"
  fi
}

# The JavaScript SDK's profile parser (@smithy/shared-ini-file-loader, pinned in
# tests/js/package-lock.json), the third reader of the conformance and differential tests.
ensure_js_reader() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "installing from Debian: nodejs npm" >&2
    debian_install nodejs npm
  fi
  if [ ! -d tests/js/node_modules/@smithy/shared-ini-file-loader ]; then
    echo "installing from npm: tests/js (npm ci)" >&2
    npm ci --prefix tests/js --no-audit --no-fund --loglevel=error
  fi
}

# The JavaScript SDK v3's STS client (@aws-sdk/client-sts, pinned in
# tests/js-sdk/package-lock.json), a consumer of the credentials endpoint (`exec --server`).
ensure_js_sdk() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "installing from Debian: nodejs npm" >&2
    debian_install nodejs npm
  fi
  if [ ! -d tests/js-sdk/node_modules/@aws-sdk/client-sts ]; then
    echo "installing from npm: tests/js-sdk (npm ci)" >&2
    npm ci --prefix tests/js-sdk --no-audit --no-fund --loglevel=error
  fi
}

# Windows, built and tested here: the Rust target (rustup), mingw's gcc and 64-bit wine
# (Debian). Fails with a clear message when a piece cannot be had.
ensure_windows_tools() {
  local target=x86_64-pc-windows-gnu
  if ! rustup target list --installed | grep -qx "$target"; then
    echo "adding the Rust target $target (rustup)" >&2
    rustup target add "$target" >&2 || {
      echo "error: rustup cannot add $target, so Windows cannot be built here" >&2
      return 1
    }
  fi
  local missing=()
  command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || missing+=("gcc-mingw-w64-x86-64")
  command -v wine >/dev/null 2>&1 || missing+=("wine")
  [ -e /usr/lib/wine/wine64 ] || missing+=("wine64")
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing from Debian: ${missing[*]}" >&2
    debian_install --no-install-recommends "${missing[@]}" || {
      echo "error: cannot install ${missing[*]} from Debian (needed to build and test for Windows)" >&2
      return 1
    }
  fi
}

# A wine prefix in target/wine that runs Rust exes: WINEPREFIX exported, created when missing,
# with the stand-in for bcryptprimitives.dll, which Debian's Wine 8.0 lacks and Rust's std
# imports (ProcessPrng; without it every Rust exe exits 53 at start; real Windows 10+ has it).
# Wine links the prefix's user folders into HOME, so it is created with a HOME of its own
# ($WINE_HOME); rustup and cargo keep finding theirs through RUSTUP_HOME and CARGO_HOME.
ensure_wine_prefix() {
  local root
  root="$(cargo_target_dir)/wine"
  export WINEPREFIX="$root/prefix" WINEDEBUG=-all WINEARCH=win64
  export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}" CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
  export WINE_HOME="$root/home"
  mkdir -p "$WINE_HOME"
  if [ ! -f "$WINEPREFIX/system.reg" ]; then
    echo "creating a wine prefix in $WINEPREFIX" >&2
    HOME="$WINE_HOME" wineboot -i >/dev/null 2>&1 || true
    # The registry reaches the disk when the prefix's wineserver exits.
    HOME="$WINE_HOME" wineserver -w || true
    [ -f "$WINEPREFIX/system.reg" ] || {
      echo "error: wineboot could not create $WINEPREFIX" >&2
      return 1
    }
  fi
  local dll="$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll"
  if [ ! -f "$dll" ] || [ scripts/windows/bcryptprimitives.c -nt "$dll" ]; then
    x86_64-w64-mingw32-gcc -O2 -shared -o "$dll" \
      scripts/windows/bcryptprimitives.c scripts/windows/bcryptprimitives.def -lbcrypt
  fi
}

# Starts moto's STS on a free 127.0.0.1 port: sets MOTO_PORT and MOTO_PID (the caller stops it).
start_moto() {
  MOTO_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  moto_server -H 127.0.0.1 -p "$MOTO_PORT" >/dev/null 2>&1 &
  MOTO_PID=$!
  for _ in $(seq 100); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $MOTO_PORT), 0.2)" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "error: moto_server did not listen on 127.0.0.1:$MOTO_PORT" >&2
  return 1
}

# The directory cargo builds into (CARGO_TARGET_DIR, a config's build.target-dir, else
# ./target), as cargo itself reports it.
cargo_target_dir() {
  cargo metadata --format-version 1 --no-deps --locked \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])'
}
