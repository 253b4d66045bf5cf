"""Client CPU time (user + system, from the kernel's accounting of the child) and wall time of
commands, run alternately so machine noise falls on all alike.

Usage: python3 scripts/bench_cpu.py RUNS WARMUPS OUT.json NAME COMMAND [NAME COMMAND ...]
COMMAND is split like a shell word list (shlex) and run without a shell, stdin and stdout
discarded; a run that exits non-zero stops the benchmark with its stderr. Writes, per name:
the CPU and wall seconds of every run.
"""
import json
import os
import shlex
import subprocess
import sys
import time


def one(argv):
    started = time.perf_counter()
    child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    err = child.stderr.read()
    child.stderr.close()
    if child.returncode != 0:
        sys.exit(f"bench_cpu: {shlex.join(argv)} exited {child.returncode}:\n{err.decode(errors='replace')}")
    return usage.ru_utime + usage.ru_stime, wall


def main():
    runs, warmups, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    pairs = sys.argv[4:]
    commands = [(pairs[i], shlex.split(pairs[i + 1])) for i in range(0, len(pairs), 2)]
    results = {name: {"cpu": [], "wall": []} for name, _ in commands}
    for _ in range(warmups):
        for _, argv in commands:
            one(argv)
    for _ in range(runs):
        for name, argv in commands:
            cpu, wall = one(argv)
            results[name]["cpu"].append(cpu)
            results[name]["wall"].append(wall)
    with open(out, "w") as f:
        json.dump(results, f)


if __name__ == "__main__":
    main()
