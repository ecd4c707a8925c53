"""Smoke test of an installed wheel with no extras (run by `make wheel-check`, from /tmp).

Checks that the package imports without optional dependencies, that every data file it needs
was packaged (divisions, vocabularies, lexicons, the text reader's tables, the rule pack,
migrations), and that the screen, rules, text analyze and demo commands work end to end on
DuckDB and SQLite, and that the dashboard
serves its sign-in page, translations and vendored JavaScript from the installed package.
"""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import uvicorn

import smokewatch
from smokewatch.cli.server import create_server_app
from smokewatch.engine import connect
from smokewatch.errors import MissingExtra
from smokewatch.settings import EngineSettings, Settings

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
    text_analyze()
    with tempfile.TemporaryDirectory() as scratch:
        out = run("demo", "init", str(Path(scratch) / "demo"), "--enterprises", "1000")
        expect("Planted cases" in out, f"demo summary printed:\n{out}")
        dashboard(Path(scratch) / "demo")
    print("wheel smoke test passed:", location)


def text_analyze() -> None:
    """The text reader runs from the wheel's tables (keywords, jieba dictionary), not jieba's."""
    from smokewatch.text.jieba_dictionary import load_jieba_dictionary

    expect(load_jieba_dictionary() is not None, "the shipped jieba dictionary is jieba's")
    with tempfile.TemporaryDirectory() as scratch:
        source, target = Path(scratch) / "in.jsonl", Path(scratch) / "out.jsonl"
        text = "位于安徽省芜湖市镜湖区的鑫源理财咨询有限公司承诺年化收益18%，保本保息"
        source.write_text(f'{{"id": 1, "text": "{text}"}}\n', encoding="utf-8")
        run("--no-progress", "text", "analyze", "--in", str(source), "--out", str(target))
        read = target.read_text(encoding="utf-8")
        expect('"鑫源理财咨询有限公司"' in read and '"340202"' in read, f"text analyze:\n{read}")


def dashboard(workspace: Path) -> None:
    """The dashboard's page, Chinese catalog and vendored scripts come from the wheel."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    app = create_server_app(Settings(workspace=workspace))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        with urllib.request.urlopen(f"{base}/login") as answer:  # noqa: S310 - loopback http
            expect("登录" in answer.read().decode("utf-8"), "the sign-in page in Chinese")
        for script in ("vendor/echarts.min.js", "vendor/htmx.min.js", "web/app.js"):
            with urllib.request.urlopen(f"{base}/static/{script}") as answer:  # noqa: S310
                expect(len(answer.read()) > 100, f"{script} served")
    finally:
        server.should_exit = True
        thread.join(timeout=10)


if __name__ == "__main__":
    main()
