"""Smoke test of an installed wheel with no extras (run by `make wheel-check`, from /tmp).

Checks that the package imports without optional dependencies, that every data file it needs
was packaged (divisions, vocabularies, lexicons, the rule pack, migrations), and that the
screen, rules and demo commands work end to end on DuckDB and SQLite.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
from pathlib import Path

import smokewatch
from smokewatch.engine import connect
from smokewatch.errors import MissingExtra
from smokewatch.settings import EngineSettings

BIN = Path(sys.executable).parent


def expect(condition: bool, message: str) -> None:
    """Fail the smoke test with ``message`` (asserts would vanish under ``python -O``)."""
    if not condition:
        raise SystemExit(f"wheel smoke test failed: {message}")


def run(*args: str) -> str:
    done = subprocess.run(
        [str(BIN / "smokewatch"), *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"smokewatch {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


def main() -> None:
    location = Path(smokewatch.__file__).parent
    expect("site-packages" in str(location), f"not the installed wheel: {location}")
    for optional in ("pyspark", "psycopg"):
        expect(importlib.util.find_spec(optional) is None, f"{optional} should not be installed")
    try:
        connect("spark://local[2]", EngineSettings(), data_dir=Path(tempfile.mkdtemp()))
    except MissingExtra as exc:
        expect("smokewatch[spark]" in str(exc), "MissingExtra names the spark extra")
    else:
        raise SystemExit("the Spark engine should need the spark extra")
    print(run("--version").strip())
    screened = run("screen", "--name", "芜湖恒信财富管理有限公司", "--json")
    expect('"verdict": "restricted"' in screened, "screen flags a restricted name")
    expect(" 0 failed" in run("rules", "test"), "the built-in fixtures pass")
    with tempfile.TemporaryDirectory() as scratch:
        out = run("demo", "init", str(Path(scratch) / "demo"), "--enterprises", "1000")
        expect("Planted cases" in out, f"demo summary printed:\n{out}")
    print("wheel smoke test passed:", location)


if __name__ == "__main__":
    main()
