"""A worker process for Python steps: ``python -m smokewatch.engine.python_worker``.

It reads tasks from standard input and writes results to standard output, each a frame of an
8-byte big-endian length followed by a pickle. A task is ``(fn, batch)``; the answer is
``(True, [batches])`` or ``(False, traceback text)``. The worker exits at end of input. It is
started by :class:`~smokewatch.engine.python_steps.PythonSteps`, never by users.

Only trusted data crosses this pipe: the parent process created it a moment ago.
"""

from __future__ import annotations

import pickle
import struct
import sys
import traceback
from typing import IO, Any

_HEADER = struct.Struct(">Q")


def read_frame(stream: IO[bytes]) -> Any | None:
    """One unpickled frame, or ``None`` at end of input."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(header)
    payload = stream.read(size)
    if len(payload) < size:
        return None
    return pickle.loads(payload)  # noqa: S301 - frames come from our own parent process


def write_frame(stream: IO[bytes], value: Any) -> None:
    """Pickle ``value`` and write it as one frame."""
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(payload)))
    stream.write(payload)
    stream.flush()


def serve(stdin: IO[bytes], stdout: IO[bytes]) -> None:
    """Answer tasks until the input ends."""
    while (task := read_frame(stdin)) is not None:
        fn, batch = task
        try:
            result = [out for out in fn(iter([batch])) if out.num_rows]
        except Exception:  # noqa: BLE001 - reported to the parent, which raises EngineError
            write_frame(stdout, (False, traceback.format_exc()))
        else:
            write_frame(stdout, (True, result))


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
