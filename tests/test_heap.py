"""The heap of a long batch run: frozen for the run, given back to the collector afterwards."""

from __future__ import annotations

import gc

import pytest

from smokewatch.heap import frozen_heap


class _Loaded:
    """Stands for a loaded model: a tracked object alive before the run."""


def _watched(thing: object) -> bool:
    """Whether the collector walks ``thing`` (frozen objects are not in its generations)."""
    return any(seen is thing for seen in gc.get_objects())


def test_objects_alive_before_the_block_are_frozen_inside_it_and_only_there() -> None:
    loaded = _Loaded()
    assert _watched(loaded) and gc.get_freeze_count() == 0
    with frozen_heap():
        made_inside = _Loaded()
        assert gc.get_freeze_count() > 0
        assert not _watched(loaded)
        assert _watched(made_inside)  # what the run makes is not frozen
    assert gc.get_freeze_count() == 0
    assert _watched(loaded) and _watched(made_inside)


def test_nested_blocks_keep_the_heap_frozen_until_the_outermost_ends() -> None:
    with frozen_heap():
        with frozen_heap():
            pass
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


def test_a_failing_run_gives_the_heap_back() -> None:
    with pytest.raises(RuntimeError, match="boom"), frozen_heap():
        raise RuntimeError("boom")
    assert gc.get_freeze_count() == 0


def test_garbage_made_inside_the_block_is_still_collected() -> None:
    with frozen_heap():
        cycle: list[object] = []
        cycle.append(cycle)
        del cycle
        assert gc.collect() >= 1
