"""Turns scripts/bench.sh's measurements into a Markdown table, and checks the budget."""
import json
import statistics
import sys

hyperfine_json, rss_txt, strace_txt, size, machine, runs = sys.argv[1:]
results = {r["command"]: r for r in json.load(open(hyperfine_json))["results"]}
rss = dict(line.rstrip("\n").split("\t") for line in open(rss_txt) if "\t" in line)
ms = lambda s: s * 1000.0


def row(name):
    r = results[name]
    return ms(statistics.median(r["times"])), ms(r["stddev"] or 0.0), ms(min(r["times"])), ms(max(r["times"]))


floor = row("curl: one bare STS round trip (floor)")[0]
ours = row("mfa-profile --force (refresh)")[0]
print(f"Machine: {machine}. {runs} runs each after 3 warm-ups (hyperfine); STS is a local moto_server.\n")
print("| command | median ms | σ ms | min–max ms | vs curl floor | vs mfa-profile | peak RSS MiB |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for name in results:
    median, sd, lo, hi = row(name)
    peak = int(rss.get(name, "0") or 0) / 1024
    print(f"| {name} | {median:.1f} | {sd:.1f} | {lo:.1f}–{hi:.1f} | {median / floor:.2f}x | {median / ours:.2f}x | {peak:.1f} |")

connects = [l.strip() for l in open(strace_txt) if "connect(" in l]
print(f"\nRelease binary: {int(size) / 1024 / 1024:.2f} MiB (stripped, LTO).")
print(f"\nNetwork during one refresh (`strace -f -e trace=connect`): {len(connects)} connect() call(s):\n")
for line in connects:
    print(f"    {line}")

skip = row("mfa-profile, target still valid (skip)")[0]
status = row("mfa-profile status")[0]
big = row("mfa-profile --force on a 10,000-profile file (2 MB)")[0]
peak_ours = max(int(rss[n]) for n in rss if n.startswith("mfa-profile")) / 1024
inet = [l for l in connects if "AF_INET" in l]
budget = [
    ("refresh <= 1.3x the curl floor", ours <= 1.3 * floor, f"{ours / floor:.2f}x"),
    ("skip path < 5 ms", skip < 5, f"{skip:.1f} ms"),
    ("status < 5 ms", status < 5, f"{status:.1f} ms"),
    ("10,000-profile refresh < 30 ms", big < 30, f"{big:.1f} ms"),
    ("peak RSS < 16 MiB", peak_ours < 16, f"{peak_ours:.1f} MiB"),
    ("one network connection, to STS", len(inet) == 1, f"{len(inet)} AF_INET connect(s)"),
]
print("\n| budget | measured | met |\n| --- | --- | --- |")
for what, ok, measured in budget:
    print(f"| {what} | {measured} | {'yes' if ok else 'NO'} |")
