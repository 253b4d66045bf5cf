#!/usr/bin/env bash
# Windows, built and tested here: cross-builds mfa-profile for x86_64-pc-windows-gnu, runs the
# unit tests under wine, then the platform-independent part of the integration suite against
# the Windows exe under wine (the harness runs MFA_PROFILE_TEST_BIN with MFA_PROFILE_TEST_RUNNER).
# Installs the Rust target, mingw and wine when missing; keeps its wine prefix in target/wine.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/tools.sh
ensure_python_tools
ensure_windows_tools

target=x86_64-pc-windows-gnu
ensure_wine_prefix
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER=wine
# The wineserver of this prefix is ours: stop it however the script ends.
trap 'wineserver -k >/dev/null 2>&1 || true' EXIT

# One wineserver for the whole run rather than one per burst of tests (a cold start under the
# load of 32 concurrent writers made moto miss the 12 s STS deadline).
wineserver -p
HOME="$WINE_HOME" cargo test --locked --target "$target" --features failpoints --lib
cargo build --locked --target "$target" --features failpoints --bin mfa-profile
exe="$(cargo_target_dir)/$target/debug/mfa-profile.exe"
if ! version=$(HOME="$WINE_HOME" wine "$exe" --version 2>&1); then
  echo "error: the Windows exe does not start under wine: $version" >&2
  exit 1
fi
echo "running the integration tests against $version (Windows exe, wine $(wine --version))" >&2

# The tests that run the binary and mean the same on Windows. Left out, with the reason:
# conformance::, editor_props::     the library only, no binary to run
# refresh_moto::refresh_writes..., daily::aws_profile..., daily::the_sources_region...,
# skip_status::a_managed_target..., daily::export_refuses...
#                                   assert ~/.aws/... with Unix separators (portable:: covers them)
# refresh_moto::second_refresh..., refresh_moto::new_file..., reliability::owner_and_mode...
#                                   Unix modes and owners
# guards::credentials_path_that_is_a_directory_or_dangling_symlink   Unix symlinks
# daily::exec_runs..., daily::code_command_failure..., daily::promises_...
#                                   sh syntax, the POSIX export default (portable:: covers them)
# daily::export_is_evaluated_by_sh..., daily::credential_process_..., daily::completions_...,
# daily::a_slow_sts_call..., skip_status::colour_only...
#                                   run the Linux binary from a shell, script or the aws CLI
# reliability::a_failing_write..., reliability::a_killed_lock_holder...
#                                   Unix paths in messages, flock (portable:: covers them)
# lock_file::                       the Unix mode of the lock file
windows_tests=(
  portable::
  guards::guards_refuse_with_a_message_the_exit_code_and_an_untouched_file
  guards::help_documents_exit_codes
  sts_errors::
  skip_status::a_valid_target_is_skipped_without_a_code_or_a_network_call
  skip_status::credentials_file_and_config_file_flags_beat_the_environment
  skip_status::force_min_remaining_expired_and_another_source_refresh
  skip_status::status_lists_managed_targets_without_network
  refresh_moto::endpoint_from_aws_endpoint_url_sts_duration_and_stdin_code
  refresh_moto::hardware_serial_named_source_and_target_flags
  refresh_moto::mixed_line_endings_and_a_profile_prefixed_section_are_left_alone
  reliability::crash_at_each_step_of_the_write_leaves_the_old_or_the_new_file
  reliability::sigkill_at_random_moments_leaves_the_old_or_the_new_file
  daily::assume_role_with_mfa_is_recorded_and_repeated
  daily::refresh_all_reports_a_failing_pair_and_still_refreshes_the_other
  expiry::
  derived::via_records_the_base_and_a_fresh_base_means_no_code_at_all
  derived::a_role_target_cannot_derive_from_a_role
  one_code::a_code_of_a_window_the_device_already_used_is_refused_at_once_without_a_terminal
)
export MFA_PROFILE_TEST_BIN="$exe" MFA_PROFILE_TEST_RUNNER=wine
cargo test --locked --features failpoints,fuzzing --test cli -- "${windows_tests[@]}"
# 12 wine processes at once per test (see reliability::writers): one test at a time, so two
# do not share two cores.
cargo test --locked --features failpoints,fuzzing --test cli -- --test-threads=1 reliability::many_writers_
