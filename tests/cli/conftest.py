"""Run the CLI in process, exactly as the ``smokewatch`` script does."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from smokewatch.cli.main import main


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


Run = Callable[..., Result]


@pytest.fixture
def sw(capsys: pytest.CaptureFixture[str]) -> Run:
    """``sw("detect", "-w", path)`` → exit code, stdout and stderr."""

    def run(*args: str) -> Result:
        capsys.readouterr()
        try:
            main(["--no-progress", *args])
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0) if not isinstance(exc.code, str) else 1
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run
