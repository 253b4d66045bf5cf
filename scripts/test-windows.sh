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

# The tests that run the binary and mean the same on Windows (cargo's filters: each a test, or
# a module:: whose tests all do). Left out, with the reason:
# conformance::, editor::, fuzz_corpus::   the library only, no binary to run
# most of refresh::, exec::, export::, status::   assert ~/.aws/... with Unix separators, Unix
#                                   modes, owners and symlinks, or sh syntax (the tests named
#                                   below say the same in the platform's own terms)
# the rest of reliability::         Unix paths in messages, flock, the lock file's Unix mode
# completions::, credential_process::, readers::, serve::   run the Linux binary from a shell,
#                                   a script or the aws CLI
# sts_answers:: past the 13 below   a terminal (`script`), or the stand-in's clock and retries
#                                   already covered by those
windows_tests=(
  codes::a_code_command_runs_in_the_platforms_shell_and_its_failure_is_reported
  reliability::a_failing_write_names_the_file_and_leaves_it_byte_identical
  reliability::a_lock_held_on_the_lock_file_makes_the_writer_wait_until_it_is_released
  refresh::a_refresh_appends_the_target_and_the_next_rewrites_only_its_values
  exec::exec_runs_the_command_with_the_profile_and_ends_with_its_exit_code
  export::export_prints_the_platforms_shell_by_default
  guards::help_documents_exit_codes
  sts_answers::rejected_code_has_its_own_exit_code
  sts_answers::wrong_serial
  sts_answers::unknown_access_key
  sts_answers::signature_does_not_match
  sts_answers::expired_token
  sts_answers::region_disabled
  sts_answers::throttling_is_retried_then_reported
  sts_answers::a_server_error_is_not_retried_with_the_same_code_and_says_the_code_may_be_spent
  sts_answers::a_gateway_error_page_is_explained_with_its_http_status
  sts_answers::malformed_xml
  sts_answers::server_that_never_answers_is_bounded
  sts_answers::connection_refused
  sts_answers::assume_role_refusals_are_explained
  refresh::a_valid_target_is_skipped_without_a_code_or_a_network_call
  refresh::credentials_file_and_config_file_flags_beat_the_environment_on_the_skip_path
  status::credentials_file_and_config_file_flags_beat_the_environment_in_status
  refresh::endpoint_from_aws_endpoint_url_sts_duration_and_stdin_code
  refresh::mixed_line_endings_and_a_profile_prefixed_section_are_left_alone
  reliability::crash_at_each_step_of_the_write_leaves_the_old_or_the_new_file
  reliability::sigkill_at_random_moments_leaves_the_old_or_the_new_file
  refresh_all::refresh_all_reports_a_failing_pair_and_still_refreshes_the_other
  prune::
  status::the_prompt_line_
  derived::via_records_the_base_and_a_fresh_base_means_no_code_at_all
  derived::a_role_target_cannot_derive_from_a_role
  codes::a_code_of_a_window_the_device_already_used_is_refused_at_once_without_a_terminal
)
export MFA_PROFILE_TEST_BIN="$exe" MFA_PROFILE_TEST_RUNNER=wine
cargo test --locked --features failpoints,fuzzing --test cli -- "${windows_tests[@]}"
# 12 wine processes at once per test (see reliability::writers): one test at a time, so two
# do not share two cores.
cargo test --locked --features failpoints,fuzzing --test cli -- --test-threads=1 reliability::many_writers_
