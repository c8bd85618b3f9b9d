#!/usr/bin/env python3
"""How many lines it takes to make a plain contract restorable.

Each restorable example has a plain twin. The figure is `git diff --no-index --numstat`
between the two crates' Cargo.toml and src/ (added + deleted lines); tests and READMEs are not
counted. `--check` fails if a pair with a limit goes over it. `--self-test` proves the check
can fail.

Usage: scripts/twin_diff.py [--check] [--self-test]
"""
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
# (plain, restorable, limit or None): the goal is 30 lines for every twin. The pool holds
# native funds, so besides gated! and restorable! it declares them to the library
# (`holdings:`, two hooks that read and write its reserves), which reconciles them with the bank.
PAIRS = [
    ("examples/counter", "examples/restorable-counter", 30),
    ("examples/cw20-token", "examples/restorable-cw20-token", 30),
    ("examples/xyk-pool", "examples/restorable-xyk-pool", 30),
]
COUNTED = ["Cargo.toml", "src"]


def diff_lines(plain: pathlib.Path, restorable: pathlib.Path) -> int:
    total = 0
    for part in COUNTED:
        out = subprocess.run(
            ["git", "diff", "--no-index", "--numstat", str(plain / part), str(restorable / part)],
            capture_output=True, text=True,
        )
        if out.returncode not in (0, 1):
            raise SystemExit(f"git diff failed for {plain / part}: {out.stderr}")
        for line in out.stdout.splitlines():
            added, deleted, _ = line.split("\t", 2)
            total += int(added) + int(deleted)
    return total


def check(pairs, root: pathlib.Path) -> int:
    failures = 0
    for plain, restorable, limit in pairs:
        p, r = root / plain, root / restorable
        if not (p.is_dir() and r.is_dir()):
            print(f"MISSING  {plain} / {restorable}")
            failures += 1
            continue
        n = diff_lines(p, r)
        verdict = "ok" if limit is None or n <= limit else "OVER"
        limit_text = f"limit {limit}" if limit is not None else "no limit"
        print(f"{verdict:8} {restorable}: {n} lines from {plain} ({limit_text})")
        failures += verdict == "OVER"
    return failures


def self_test() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = pathlib.Path(tmp)
        for name, lines in [("plain", 1), ("small", 11), ("big", 40)]:
            (root / name / "src").mkdir(parents=True)
            (root / name / "Cargo.toml").write_text("[package]\n")
            (root / name / "src" / "lib.rs").write_text("".join(f"line {i}\n" for i in range(lines)))
        assert check([("plain", "small", 30)], root) == 0, "10 added lines must pass a limit of 30"
        assert check([("plain", "big", 30)], root) == 1, "39 added lines must fail a limit of 30"
        assert check([("plain", "missing", 30)], root) == 1, "a missing twin must fail"
    print("twin_diff self-test passed")


if __name__ == "__main__":
    if "--self-test" in sys.argv:
        self_test()
    failures = check(PAIRS, ROOT)
    if "--check" in sys.argv and failures:
        sys.exit(f"{failures} restorable twin(s) missing or over their line limit")
