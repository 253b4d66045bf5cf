#!/usr/bin/env python3
"""Checks Cargo.lock against the RustSec advisory database, offline (Python 3.11+, stdlib only).

    python3 scripts/advisories.py check [--db DIR]    # default: the vendored copy, .ci/advisory-db
    python3 scripts/advisories.py vendor [--from DIR]  # default: /work/shared/advisory-db
    python3 scripts/advisories.py selftest             # the version matching, on known cases

`check` fails (exit 1) on a vulnerability advisory that affects a version in Cargo.lock, and
prints informational advisories (unmaintained, unsound, notice) and the notes in
.ci/advisory-db/notes.toml as warnings. It also fails when Cargo.lock names a crate the vendored
copy was not made for: run `vendor` again after changing dependencies.

`vendor` copies into .ci/advisory-db only the advisories of crates that appear in Cargo.lock,
with the list of those crates (crates.txt) and where the copy came from (SOURCE.md), so that CI
needs neither the network nor /work/shared.

A version is affected unless it matches a `patched` or `unaffected` requirement (RustSec's
rule); requirements use Cargo's syntax (`>= 1.2.3, < 1.3`, `^0.9`, bare `0.5.1` = caret).
Withdrawn advisories are skipped. `[affected] os`/`arch` restrictions are shown, not applied.
"""

import argparse
import os
import re
import shutil
import sys
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENDORED = os.path.join(ROOT, ".ci", "advisory-db")
SHARED = "/work/shared/advisory-db"


# --- versions and requirements -------------------------------------------------------------

def parse_version(text):
    """(major, minor, patch, pre) from "1.2.3-alpha.1+build"; pre is a tuple, () for none."""
    text = text.strip().split("+", 1)[0]
    core, _, pre = text.partition("-")
    parts = core.split(".")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"not a version: {text!r}")
    numbers = [int(p) for p in parts] + [0] * (3 - len(parts))
    pre_ids = tuple(int(i) if i.isdigit() else i for i in pre.split(".")) if pre else ()
    return (*numbers, pre_ids), len(parts)


def version_key(version):
    """Orders versions as SemVer does: a pre-release sorts before its release."""
    major, minor, patch, pre = version
    if not pre:
        return (major, minor, patch, 1, ())
    ids = tuple((0, i, "") if isinstance(i, int) else (1, 0, i) for i in pre)
    return (major, minor, patch, 0, ids)


def compare(a, b):
    ka, kb = version_key(a), version_key(b)
    return (ka > kb) - (ka < kb)


def bump(version, precision):
    """The smallest version above every version that starts with `version`'s first
    `precision` parts ("1.2" -> 1.3.0-0)."""
    major, minor, patch, _ = version
    if precision == 1:
        return (major + 1, 0, 0, (0,))
    if precision == 2:
        return (major, minor + 1, 0, (0,))
    return (major, minor, patch + 1, (0,))


def caret_upper(version, precision):
    major, minor, patch, _ = version
    if major > 0 or precision == 1:
        return (major + 1, 0, 0, (0,))
    if minor > 0 or precision == 2:
        return (0, minor + 1, 0, (0,))
    return (0, 0, patch + 1, (0,))


COMPARATOR = re.compile(r"^\s*(>=|<=|>|<|=|\^|~)?\s*([0-9][0-9A-Za-z.+-]*|\*)\s*$")


def comparator_matches(text, version):
    """Whether `version` satisfies one comparator in Cargo's syntax."""
    m = COMPARATOR.match(text)
    if not m:
        raise ValueError(f"not a version requirement: {text!r}")
    op, operand = m.group(1) or "^", m.group(2)
    if operand == "*":
        return True
    operand = operand.rstrip(".*") if operand.endswith(".*") else operand
    bound, precision = parse_version(operand)
    c = compare(version, bound)
    if op == ">=":
        return c >= 0
    if op == ">":
        return compare(version, bump(bound, precision)) >= 0 if precision < 3 else c > 0
    if op == "<":
        return c < 0
    if op == "<=":
        return compare(version, bump(bound, precision)) < 0 if precision < 3 else c <= 0
    if op == "=":
        return c >= 0 and compare(version, bump(bound, precision)) < 0 if precision < 3 else c == 0
    if op == "~":
        upper = bump(bound, min(precision, 2))
        return c >= 0 and compare(version, upper) < 0
    return c >= 0 and compare(version, caret_upper(bound, precision)) < 0  # ^


def requirement_matches(requirement, version):
    """A requirement is comma-separated comparators, all of which must hold."""
    return all(comparator_matches(part, version) for part in requirement.split(","))


def affects(advisory, version_text):
    version, _ = parse_version(version_text)
    versions = advisory.get("versions", {})
    safe = versions.get("patched", []) + versions.get("unaffected", [])
    return not any(requirement_matches(r, version) for r in safe)


# --- the database ----------------------------------------------------------------------------

def front_matter(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    m = re.match(r"\s*```toml\n(.*?)\n```", text, re.S)
    if not m:
        raise ValueError(f"{path}: no TOML front matter")
    data = tomllib.loads(m.group(1))
    title = re.search(r"^# (.+)$", text[m.end():], re.M)
    data["advisory"].setdefault("title", title.group(1).strip() if title else "")
    return data


def locked_packages(lock_path=None):
    with open(lock_path or os.path.join(ROOT, "Cargo.lock"), "rb") as f:
        lock = tomllib.load(f)
    return [(p["name"], p["version"]) for p in lock["package"] if "source" in p]


def advisories_for(db, name):
    folder = os.path.join(db, "crates", name)
    if not os.path.isdir(folder):
        return []
    return [
        (file, front_matter(os.path.join(folder, file)))
        for file in sorted(os.listdir(folder))
        if file.endswith(".md")
    ]


def check(db, lock_path=None, quiet=False):
    packages = locked_packages(lock_path)
    problems, warnings = [], []
    covered_file = os.path.join(db, "crates.txt")
    if os.path.exists(covered_file):
        with open(covered_file, encoding="utf-8") as f:
            covered = {line.strip() for line in f if line.strip()}
        missing = sorted({name for name, _ in packages} - covered)
        if missing:
            problems.append(
                "the vendored advisories were not made for these crates of Cargo.lock: "
                + ", ".join(missing)
                + "; run `python3 scripts/advisories.py vendor`"
            )
    for name, version in packages:
        for _, data in advisories_for(db, name):
            advisory = data["advisory"]
            if advisory.get("withdrawn") or not affects(data, version):
                continue
            where = data.get("affected", {})
            scope = "".join(
                f" ({key}: {', '.join(where[key])})" for key in ("os", "arch") if key in where
            )
            line = f"{advisory['id']} {name} {version}{scope}: {advisory.get('title', '').strip() or advisory.get('url', '')}"
            if advisory.get("informational"):
                warnings.append(f"{advisory['informational']}: {line}")
            else:
                problems.append(f"vulnerable: {line}")
    notes_file = os.path.join(db, "notes.toml")
    if os.path.exists(notes_file):
        with open(notes_file, "rb") as f:
            notes = tomllib.load(f).get("note", [])
        locked = {name for name, _ in packages}
        for note in notes:
            if note["package"] in locked:
                warnings.append(f"{note['kind']}: {note['package']}: {note['why']}")
    checked = len(packages)
    if quiet:
        return 1 if problems else 0
    for warning in warnings:
        print(f"advisories: warning: {warning}")
    for problem in problems:
        print(f"advisories: error: {problem}")
    print(
        f"advisories: {checked} crates of Cargo.lock checked against {db}: "
        f"{len(problems)} errors, {len(warnings)} warnings"
    )
    return 1 if problems else 0


def vendor(source):
    crates = sorted({name for name, _ in locked_packages()})
    target = os.path.join(VENDORED, "crates")
    if os.path.isdir(target):
        shutil.rmtree(target)
    copied = 0
    for name in crates:
        folder = os.path.join(source, "crates", name)
        if os.path.isdir(folder):
            shutil.copytree(folder, os.path.join(target, name))
            copied += len(os.listdir(folder))
    os.makedirs(VENDORED, exist_ok=True)
    with open(os.path.join(VENDORED, "crates.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(crates) + "\n")
    for extra in ("LICENSE.txt",):
        if os.path.exists(os.path.join(source, extra)):
            shutil.copy(os.path.join(source, extra), os.path.join(VENDORED, extra))
    origin = ""
    source_md = os.path.join(source, "SOURCE.md")
    if os.path.exists(source_md):
        with open(source_md, encoding="utf-8") as f:
            origin = f.read()
    with open(os.path.join(VENDORED, "SOURCE.md"), "w", encoding="utf-8") as f:
        f.write(
            "# RustSec advisories for the crates of Cargo.lock\n\n"
            "The subset of the RustSec advisory database (CC0-1.0, LICENSE.txt) that concerns the\n"
            "crates listed in crates.txt, made by `python3 scripts/advisories.py vendor` and read\n"
            "by `python3 scripts/advisories.py check` in CI. notes.toml is ours: known problems\n"
            "with no advisory. The copy it was taken from:\n\n"
            + "\n".join("> " + line if line else ">" for line in origin.strip().splitlines())
            + "\n"
        )
    print(f"advisories: vendored {copied} advisories for {len(crates)} crates into {VENDORED}")
    return 0


# --- self-test -------------------------------------------------------------------------------

def selftest():
    cases = [
        (">= 1.5.1, < 1.6.0", "1.5.1", True),
        (">= 1.5.1, < 1.6.0", "1.6.0", False),
        (">= 1.8.1", "1.54.1", True),
        ("^0.3.24", "0.3.30", True),
        ("^0.3.24", "0.4.0", False),
        ("^ 0.3.1", "0.3.9", True),
        ("0.54.2", "0.54.9", True),
        ("0.54.2", "1.6.4", False),
        ("^1.2", "1.9.0", True),
        ("^0.0.3", "0.0.4", False),
        ("< 0.3.0", "0.2.99", True),
        ("<= 0.1.37", "0.1.37", True),
        ("<= 0.1", "0.1.9", True),
        ("> 0.1", "0.1.9", False),
        ("> 0.1", "0.2.0", True),
        ("=0.2.0", "0.2.0", True),
        ("=0.2.0", "0.2.1", False),
        ("< 1.0.0-0", "0.9.9", True),
        ("< 1.0.0-0", "1.0.0", False),
        ("< 0.102.0-alpha.0", "0.101.4", True),
        (">= 0.104.0-alpha.6", "0.104.0-alpha.10", True),
        (">= 0.104.0-alpha.6", "0.104.0-alpha.5", False),
        (">= 0.104.0-alpha.6", "0.104.0", True),
        ("~1.2.3", "1.2.9", True),
        ("~1.2.3", "1.3.0", False),
        ("*", "9.9.9", True),
    ]
    failed = 0
    for requirement, version, expected in cases:
        got = requirement_matches(requirement, parse_version(version)[0])
        if got != expected:
            failed += 1
            print(f"advisories selftest: {version} in {requirement!r}: {got}, expected {expected}")
    advisory = {"versions": {"patched": [">= 1.8.4, < 1.9.0", ">= 1.13.1"], "unaffected": ["< 0.1.14"]}}
    for version, expected in [("1.8.4", False), ("1.9.0", True), ("1.54.1", False), ("0.1.0", False)]:
        if affects(advisory, version) != expected:
            failed += 1
            print(f"advisories selftest: affects({version}) is not {expected}")
    if affects({"versions": {"patched": []}}, "0.13.6") is not True:
        failed += 1
        print("advisories selftest: an advisory with no patched version affects every version")
    failed += selftest_lock()
    total = len(cases) + 6
    print(f"advisories selftest: {total - failed} of {total} cases pass")
    return 1 if failed else 0


def selftest_lock():
    """The check itself fails on a lock with a known-vulnerable version (tokio 1.8.0,
    RUSTSEC-2021-0072 among others) and passes on one without."""
    import tempfile

    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for version, expected in [("1.8.0", 1), ("1.54.1", 0)]:
            lock = os.path.join(tmp, "Cargo.lock")
            with open(lock, "w", encoding="utf-8") as f:
                f.write(
                    '[[package]]\nname = "tokio"\nversion = "%s"\n'
                    'source = "registry+https://github.com/rust-lang/crates.io-index"\n' % version
                )
            if check(VENDORED, lock, quiet=True) != expected:
                failed += 1
                print(f"advisories selftest: tokio {version} should give exit {expected}")
    return failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check_parser = commands.add_parser("check")
    check_parser.add_argument("--db", default=VENDORED)
    check_parser.add_argument("--lock", default=None, help="default: Cargo.lock")
    vendor_parser = commands.add_parser("vendor")
    vendor_parser.add_argument("--from", dest="source", default=SHARED)
    commands.add_parser("selftest")
    args = parser.parse_args()
    if args.command == "check":
        return check(args.db, args.lock)
    if args.command == "vendor":
        return vendor(args.source)
    return selftest()


if __name__ == "__main__":
    sys.exit(main())
