"""How long `make test`'s SQLite pass takes, against the suite as it was before it was made fast.

The reference is the suite at commit 86017e5 (652 tests: passwords hashed
with PBKDF2, one process, no coverage), run by that commit's own `make test`
SQLite command. Its tests are then run again by today's `make test` command
(workers, coverage, the test settings), on today's code: those of today's
tests that carry a reference test's name (files moved since, so the name
after the file is what is matched). Both in the same run, on the same
machine, one after the other; optionally today's whole suite as well.

    .venv/bin/python bench/suite_speed.py [--reference 86017e5] [--whole]

The reference's checkout is a git worktree in a temporary directory (it
borrows this venv, so both run with today's packages) and is removed at the
end. Wall time, the CPU the run and its children used (user + sys) and the
load average are printed for each run; nothing is timed by pytest itself.
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import load_average

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
REFERENCE = "86017e5"

# What each side's `make test` runs for its SQLite pass (the reference's Makefile had no workers, no --cov).
REFERENCE_COMMAND = ["-m", "pytest", "-q", "-p", "no:cacheprovider"]
TODAY_COMMAND = [
    *("-m", "pytest", "-q", "-p", "no:cacheprovider"),
    *("-n", "auto", "--dist", "loadgroup", "--no-loadscope-reorder"),
]


def _env(*, writes_bytecode: bool = False) -> dict[str, str]:
    """The environment `make test` gives pytest; today's Makefile also unexports PYTHONDONTWRITEBYTECODE."""
    dropped = {"DATABASE_URL"} | ({"PYTHONDONTWRITEBYTECODE"} if writes_bytecode else set())
    return {k: v for k, v in os.environ.items() if k not in dropped} | {"CI": "true", "DEBUG": "1"}


def collect(where: Path) -> list[str]:
    out = subprocess.run(
        [str(PYTHON), *REFERENCE_COMMAND, "--collect-only"],
        cwd=where,
        env=_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line.strip() for line in out.splitlines() if "::" in line]


def timed(label: str, where: Path, args: list[str], *, today: bool) -> None:
    print(
        f"\n== {label}\n   start {time.strftime('%H:%M:%S')} UTC, load average {load_average()}", flush=True
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(
        [str(PYTHON), *args], cwd=where, env=_env(writes_bytecode=today), capture_output=True, text=True
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    summary = [line for line in result.stdout.splitlines() if " passed" in line or " failed" in line]
    print(f"   {summary[-1] if summary else result.stdout[-2000:] + result.stderr[-2000:]}")
    for line in result.stdout.splitlines():
        if line.startswith(("FAILED", "ERROR")):
            print(f"   {line}")
    print(f"   wall {wall:.0f} s, CPU {cpu:.0f} s; end load average {load_average()}", flush=True)
    if result.returncode != 0:
        sys.exit(f"{label} failed (exit {result.returncode})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reference", default=REFERENCE, help="the commit of the reference suite")
    parser.add_argument("--whole", action="store_true", help="also run today's whole suite")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="apex-suite-reference-") as scratch:
        reference = Path(scratch) / "checkout"
        subprocess.run(
            ["git", "worktree", "add", "--detach", "--quiet", str(reference), options.reference],
            cwd=ROOT,
            check=True,
        )
        try:
            (reference / ".venv").symlink_to(ROOT / ".venv")
            old = collect(reference)
            names = {test.split("::", 1)[1] for test in old}
            same = [test for test in collect(ROOT) if test.split("::", 1)[1] in names]
            ids = Path(scratch) / "same-tests.txt"
            ids.write_text("\n".join(same) + "\n")
            print(
                f"reference {options.reference}: {len(old)} tests; today: {len(same)} tests with a reference "
                f"test's name ({len(names - {t.split('::', 1)[1] for t in same})} reference names gone)"
            )
            timed(
                f"reference suite at {options.reference}, its make test",
                reference,
                REFERENCE_COMMAND,
                today=False,
            )
            timed(
                "the same tests today, make test's command",
                ROOT,
                [*TODAY_COMMAND, f"@{ids}", "--cov"],
                today=True,
            )
            if options.whole:
                timed("today's whole suite, make test's command", ROOT, [*TODAY_COMMAND, "--cov"], today=True)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(reference)], cwd=ROOT, check=False)


if __name__ == "__main__":
    main()
