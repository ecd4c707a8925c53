"""Validation split and metrics."""

from __future__ import annotations

from smokewatch.text.models.metrics import classification_report, group_f1, grouped_split


def test_rows_of_one_text_stay_on_one_side() -> None:
    keys = [f"t{i // 3}" for i in range(300)]
    strata = ["a" if i % 2 else "b" for i in range(300)]
    flags = grouped_split(keys, strata, fraction=0.2, seed=1)
    for key in set(keys):
        assert len({f for k, f in zip(keys, flags, strict=True) if k == key}) == 1
    assert 0.15 < sum(flags) / len(flags) < 0.25


def test_the_split_is_seeded() -> None:
    keys = [str(i) for i in range(100)]
    strata = ["x"] * 50 + ["y"] * 50
    assert grouped_split(keys, strata, fraction=0.2, seed=3) == grouped_split(
        keys, strata, fraction=0.2, seed=3
    )
    assert grouped_split(keys, strata, fraction=0.2, seed=3) != grouped_split(
        keys, strata, fraction=0.2, seed=4
    )
    assert sum(grouped_split(keys, strata, fraction=0.2, seed=3)[:50]) == 10


def test_per_class_scores() -> None:
    report = classification_report(["a", "a", "b", "c"], ["a", "b", "b", "b"], ["a", "b", "c"])
    assert report["per_class"]["a"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}
    assert report["per_class"]["b"]["precision"] == round(1 / 3, 4)
    assert report["accuracy"] == 0.5


def test_group_f1_treats_the_group_as_one_class() -> None:
    scores = group_f1(["集资", "传销", "其他"], ["传销", "集资", "集资"], {"集资", "传销"})
    assert scores["recall"] == 1.0
    assert scores["precision"] == round(2 / 3, 4)
