"""Turns scripts/bench.sh's measurements into bench/results.md, and checks the budgets (exit 1
when one is missed)."""
import json
import statistics
import sys

(cpu_json, instructions_tsv, hyperfine_json, rss_txt, strace_txt, keys_tsv, size, machine, runs) = sys.argv[1:]
cpu = json.load(open(cpu_json))
instructions = {}
for line in open(instructions_tsv):
    name, count = line.rstrip("\n").split("\t")
    instructions.setdefault(name, []).append(int(count))
results = {r["command"]: r for r in json.load(open(hyperfine_json))["results"]}
rss = dict(line.rstrip("\n").split("\t") for line in open(rss_txt) if "\t" in line)
ms = lambda s: s * 1000.0

MINIMAL = "minimal: aws-sdk-sts GetSessionToken over TLS + atomic write (floor)"
MINIMAL_P384 = "minimal, rustls's own key-exchange order (P-384 first)"
VERSION = "mfa-profile --version (start-up alone)"
CREDENTIAL_PROCESS = "mfa-profile credential-process"
REFRESH = "mfa-profile --force over HTTPS (refresh)"
MINIMAL_SYSTEM = next(n for n in cpu if n.startswith("minimal, trusting"))
REFRESH_SYSTEM = next(n for n in cpu if n.startswith("mfa-profile --force over HTTPS, trusting"))
SKIP = "mfa-profile, target still valid (skip)"
STATUS = "mfa-profile status"


def spread(values):
    """Median, and the half-width of the middle 80% (the noise)."""
    values = sorted(values)
    lo, hi = values[len(values) // 10], values[-1 - len(values) // 10]
    return statistics.median(values), (hi - lo) / 2


def cpu_ms(name):
    return ms(spread(cpu[name]["cpu"])[0])


def wall_ms(name):
    return ms(spread(cpu[name]["wall"])[0])


print(f"Machine: {machine}. {runs} runs of each command after 3 warm-ups, the commands taking turns.\n")
print("## Over HTTPS, next to a minimal program doing the same work\n")
print("STS is a local stub (`scripts/sts_stub.py`) serving a chain made at run time (RSA 2048 root and")
print("intermediate, like AWS's); mfa-profile trusts the test CA through `AWS_CA_BUNDLE`. The minimal")
print("program calls GetSessionToken with `aws-sdk-sts` on the same rustls-ring connector (X25519 offered")
print("first), then writes the file atomically; its second row keeps rustls's own key-exchange order. Client")
print("CPU is user + system time of the process, from the kernel; ± is half the spread of the middle 80%")
print("of runs; instructions are callgrind's count (min–max of 3 runs).\n")
print("| command | CPU ms | ± | wall ms | ± | instructions (M) | CPU vs minimal | instructions vs minimal |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for name in cpu:
    c, c_noise = spread(cpu[name]["cpu"])
    w, w_noise = spread(cpu[name]["wall"])
    counts = instructions[name]
    floor = MINIMAL_SYSTEM if "trusting" in name else MINIMAL
    count = f"{min(counts) / 1e6:.2f}–{max(counts) / 1e6:.2f}" if min(counts) != max(counts) else f"{counts[0] / 1e6:.2f}"
    print(f"| {name} | {ms(c):.2f} | {ms(c_noise):.2f} | {ms(w):.2f} | {ms(w_noise):.2f} | {count} | "
          f"{ms(c) / cpu_ms(floor):.2f}x | {min(counts) / min(instructions[floor]):.2f}x |")


def row(name):
    r = results[name]
    return ms(statistics.median(r["times"])), ms(r["stddev"] or 0.0), ms(min(r["times"])), ms(max(r["times"]))


floor = row("curl: one bare STS round trip (floor)")[0]
ours = row("mfa-profile --force (refresh)")[0]
print("\n## Against moto (plain http), next to the other tools\n")
print("| command | median ms | σ ms | min–max ms | vs curl floor | vs mfa-profile | peak RSS MiB |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for name in results:
    median, sd, lo, hi = row(name)
    peak = int(rss.get(name, "0") or 0) / 1024
    print(f"| {name} | {median:.1f} | {sd:.1f} | {lo:.1f}–{hi:.1f} | {median / floor:.2f}x | {median / ours:.2f}x | {peak:.1f} |")

p384_extra = (min(instructions[MINIMAL_P384]) - min(instructions[MINIMAL])) / 1e6
print(f"\nrustls's own key-exchange order (P-384's key share first, as rustls 0.23.48 has it for ring) costs "
      f"{p384_extra:.2f} M instructions more per handshake than ours (X25519 first, sdk::http::crypto_provider).")

keys = [line.rstrip("\n").split("\t") for line in open(keys_tsv) if line.strip()]
print("\n## `status --keys` and `rotate`, against the same stub over HTTPS\n")
print("STS and IAM at one endpoint; calls and connections as the stub counts them, `connect()`s as strace does.\n")
print("| command | calls | connections | AF_INET connect() |\n| --- | ---: | ---: | ---: |")
for name, calls, connections, inet_count in keys:
    print(f"| {name} | {calls} | {connections} | {inet_count} |")

connects = [l.strip() for l in open(strace_txt) if "connect(" in l]
print(f"\nRelease binary: {int(size) / 1024 / 1024:.2f} MiB (stripped, LTO).")
print(f"\nNetwork during one HTTPS refresh (`strace -f -e trace=connect`): {len(connects)} connect() call(s):\n")
for line in connects:
    print(f"    {line}")

skip = row("mfa-profile, target still valid (skip)")[0]
status = row("mfa-profile status")[0]
big = row("mfa-profile --force on a 10,000-profile file (2 MB)")[0]
peak_ours = max(int(rss[n]) for n in rss if n.startswith("mfa-profile")) / 1024
inet = [l for l in connects if "AF_INET" in l]
refresh_ratio = cpu_ms(REFRESH) / cpu_ms(MINIMAL)
system_ratio = cpu_ms(REFRESH_SYSTEM) / cpu_ms(MINIMAL_SYSTEM)
status_over_skip = wall_ms(STATUS) - wall_ms(SKIP)
refresh_instructions = min(instructions[REFRESH]) / min(instructions[MINIMAL])
version_floor = min(instructions[VERSION])
light = [(label, n, min(instructions[n]) / version_floor)
         for label, n in (("the skip path", SKIP), ("`status`", STATUS), ("`credential-process`", CREDENTIAL_PROCESS))]
budget = [
    ("HTTPS refresh instructions <= 1.25x the minimal program's", refresh_instructions <= 1.25,
     f"{refresh_instructions:.2f}x ({min(instructions[REFRESH]) / 1e6:.2f} vs {min(instructions[MINIMAL]) / 1e6:.2f} M)"),
] + [
    (f"{label} instructions <= 1.4x `--version`'s", ratio <= 1.4,
     f"{ratio:.2f}x ({min(instructions[n]) / 1e6:.2f} vs {version_floor / 1e6:.2f} M)")
    for label, n, ratio in light
] + [
    (f"`{name.removeprefix('mfa-profile ')}`: one connection per endpoint", int(connections) == 1 and int(inet_count) == 1,
     f"{calls} calls, {connections} connection(s), {inet_count} connect()")
    for name, calls, connections, inet_count in keys
] + [
    ("HTTPS refresh client CPU <= 1.5x the minimal program's", refresh_ratio <= 1.5,
     f"{refresh_ratio:.2f}x ({cpu_ms(REFRESH):.2f} vs {cpu_ms(MINIMAL):.2f} ms)"),
    ("the same, both trusting the system's CAs too, <= 1.5x", system_ratio <= 1.5,
     f"{system_ratio:.2f}x ({cpu_ms(REFRESH_SYSTEM):.2f} vs {cpu_ms(MINIMAL_SYSTEM):.2f} ms)"),
    ("`status` within 0.5 ms of the skip path (wall, medians)", status_over_skip <= 0.5,
     f"{status_over_skip:+.2f} ms ({wall_ms(STATUS):.2f} vs {wall_ms(SKIP):.2f} ms)"),
    ("refresh against moto <= 1.3x the curl floor", ours <= 1.3 * floor, f"{ours / floor:.2f}x"),
    ("skip path < 5 ms", skip < 5, f"{skip:.1f} ms"),
    ("status < 5 ms", status < 5, f"{status:.1f} ms"),
    ("10,000-profile refresh < 30 ms", big < 30, f"{big:.1f} ms"),
    ("peak RSS < 16 MiB", peak_ours < 16, f"{peak_ours:.1f} MiB"),
    ("one network connection, to STS", len(inet) == 1, f"{len(inet)} AF_INET connect(s)"),
]
print("\n| budget | measured | met |\n| --- | --- | --- |")
for what, ok, measured in budget:
    print(f"| {what} | {measured} | {'yes' if ok else 'NO'} |")
sys.exit(0 if all(ok for _, ok, _ in budget) else 1)
