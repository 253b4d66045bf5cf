"""Client CPU time (user + system, from the kernel's accounting of the child) and wall time of
commands, run alternately so machine noise falls on all alike.

Usage: python3 scripts/bench_cpu.py RUNS WARMUPS OUT.json NAME COMMAND [NAME COMMAND ...]
COMMAND is split like a shell word list (shlex) and run without a shell, stdin and stdout
discarded; a leading `env -i NAME=VALUE ...` becomes the command's whole environment, set here
rather than by running env(1), whose own start-up would be counted in every run; a run that exits non-zero stops the benchmark with its stderr. Before each run the
record of the code window a refresh used (HOME/.aws/cli/cache/mfa-profile/*.json) is removed,
untimed, as if the next 30 s window had come: mfa-profile refuses a second code per window.
Writes, per name: the CPU and wall seconds of every run.
"""
import json
import os
import shlex
import subprocess
import sys
import time


def forget_code_windows(argv):
    for word in argv:
        if word.startswith("HOME="):
            cache = os.path.join(word[5:], ".aws", "cli", "cache", "mfa-profile")
            for name in os.listdir(cache) if os.path.isdir(cache) else []:
                if name.endswith(".json"):
                    os.remove(os.path.join(cache, name))


def split_env(argv):
    """`env -i A=1 B=2 cmd args` -> ({A: 1, B: 2}, [cmd, args]); other commands unchanged."""
    if argv[:2] != ["env", "-i"]:
        return None, argv
    env, rest = {}, argv[2:]
    while rest and "=" in rest[0] and not rest[0].startswith("/"):
        name, value = rest.pop(0).split("=", 1)
        env[name] = value
    return env, rest


def one(argv):
    forget_code_windows(argv)
    env, argv = split_env(argv)
    started = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
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
