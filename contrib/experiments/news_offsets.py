"""How much the event offsets move with the fold assignment they are tuned on (round 11).

Training part only. Rebuilds the pipeline as ``text train --task news-events`` does (rankers,
out-of-fold reranker lists, tagger, reranker), reads every distinct training text for the
subject the pipeline picks, and stores the event model's 3-fold out-of-fold scores for six
fold seeds (about 1 min each). Then it tunes offsets on one seed, on two or on three pooled
(:func:`smokewatch.text.models.tuning.pooled`) and compares two disjoint sets of seeds:
the offsets' L1 distance, how many training texts change label between the two tunings
(read on the mean scores of all six seeds), and the objective of set A's offsets on the
seeds outside A.

    PYTHONPATH=src nice -n 10 .venv/bin/python contrib/experiments/news_offsets.py --work W
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from pathlib import Path
from typing import Any

import numpy as np

from smokewatch.progress import NO_PROGRESS
from smokewatch.text.models import news, tuning
from smokewatch.text.models import news_training as nt
from smokewatch.text.models import training as tr
from smokewatch.text.models.cohesion import Cohesion
from smokewatch.text.models.encoding import Alphabet
from smokewatch.text.models.features import Triggers, load_triggers
from smokewatch.text.models.metrics import grouped_split
from smokewatch.text.models.subject_training import (
    fit_news_tagger,
    fit_subject_reranker,
    out_of_fold_lists,
    train_subject_rankers,
)

DATA = Path("/work/shared/data/finese-event-subject/finese_train_list.json")
SEED = 20261121
SEEDS = range(1, 7)
PAIRS = [
    ("single", [1], [2]),
    ("single", [3], [4]),
    ("single", [5], [6]),
    ("single", [2], [5]),
    ("pooled 2", [1, 2], [3, 4]),
    ("pooled 2", [3, 4], [5, 6]),
    ("pooled 3", [1, 2, 3], [4, 5, 6]),
    ("pooled 3", [1, 3, 5], [2, 4, 6]),
]


def pipeline_features(
    train: list[tuple[str, str, str, str | None]],
) -> tuple[list[str], tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray], np.ndarray]:
    """``(folded rows, row features, text features, text of every row)`` as training builds them.

    The rankers, out-of-fold reranker lists, tagger and reranker are fitted as ``text train``
    fits them; every distinct text is read for the subject the pipeline picks.
    """
    folded = [news.fold(t) for _, t, _, _ in train]
    distinct = list(dict.fromkeys(folded))
    trig = Triggers(load_triggers())
    alphabet = Alphabet.fit(dict.fromkeys(folded), min_df=2)
    by_text = nt.gold_subjects(folded, train)
    ws = [t for t, g in by_text.items() if g]
    golds = [by_text[t] for t in ws]
    cohesion = Cohesion.fit(alphabet.encode(list(by_text)))
    rankers = train_subject_rankers(ws, golds, alphabet, trig, NO_PROGRESS, cohesion=cohesion)
    x, gold, listed = out_of_fold_lists(ws, golds, alphabet, trig, cohesion=cohesion, seed=SEED)
    reranker, _ = fit_subject_reranker(
        x, gold, listed, fit_news_tagger(ws, golds, alphabet), seed=SEED
    )
    pipeline = dataclasses.replace(rankers, reranker=reranker)
    row_features, text_features, row_text = nt.event_training_features(
        folded, train, distinct, (alphabet, trig, pipeline)
    )
    return folded, row_features, text_features, row_text


def out_of_fold(
    train: list[tuple[str, str, str, str | None]], labels: list[str]
) -> dict[int, np.ndarray]:
    """Out-of-fold event scores of every distinct training text, per fold seed."""
    began = time.time()
    folded, row_features, text_features, row_text = pipeline_features(train)
    targets = [labels.index(r[2]) for r in train]
    print(f"pipeline {time.time() - began:.0f} s", flush=True)
    scores = {}
    for s in SEEDS:
        scores[s] = tuning.out_of_fold_scores(
            row_features,
            text_features,
            row_text=row_text,
            targets=targets,
            fold=tuning.text_folds(folded, [r[2] for r in train], seed=s),
            n_classes=len(labels),
        )
        print(f"fold seed {s}: {time.time() - began:.0f} s", flush=True)
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, required=True, help="cache of the out-of-fold scores")
    work = parser.parse_args().work
    work.mkdir(parents=True, exist_ok=True)
    rows = tr.read_finese(DATA)
    is_val = grouped_split([r[1] for r in rows], [r[2] for r in rows], fraction=0.2, seed=SEED)
    train = [r for r, v in zip(rows, is_val, strict=True) if not v]
    labels = sorted({r[2] for r in rows}, key=lambda label: (label != news.NONE_LABEL, label))
    cache = work / "offsets_oof.npz"
    if cache.exists():
        with np.load(cache) as stored:
            scores = {s: stored[f"seed{s}"] for s in SEEDS}
    else:
        scores = out_of_fold(train, labels)
        save: Any = np.savez  # numpy's stub types **kwds as bool
        save(cache, **{f"seed{s}": v for s, v in scores.items()})
    folded = [news.fold(t) for _, t, _, _ in train]
    number = {t: i for i, t in enumerate(dict.fromkeys(folded))}
    carried: list[list[str]] = [[] for _ in number]
    for text, (_, _, label, _) in zip(folded, train, strict=True):
        carried[number[text]].append(label)
    targets = tuning.text_targets(carried, labels, tr.ILLEGAL_FINANCE)
    mean = np.mean([scores[s] for s in SEEDS], axis=0)
    for name, a, b in PAIRS:
        offsets_a = tuning.tune_offsets(*tuning.pooled([scores[s] for s in a], targets))
        offsets_b = tuning.tune_offsets(*tuning.pooled([scores[s] for s in b], targets))
        others = [s for s in SEEDS if s not in a]
        on_others = np.mean(
            [
                tuning.text_objective(targets, np.argmax(scores[s] + offsets_a, axis=1))
                for s in others
            ]
        )
        untuned = np.mean(
            [tuning.text_objective(targets, np.argmax(scores[s], axis=1)) for s in others]
        )
        changed = np.argmax(mean + offsets_a, axis=1) != np.argmax(mean + offsets_b, axis=1)
        print(
            json.dumps(
                {
                    "tuner": name,
                    "A": a,
                    "B": b,
                    "L1": float(np.abs(offsets_a - offsets_b).sum()),
                    "其他": [float(offsets_a[0]), float(offsets_b[0])],
                    "texts_changed": int(changed.sum()),
                    "of_texts": len(changed),
                    "A_on_other_seeds": round(float(on_others), 4),
                    "untuned_on_other_seeds": round(float(untuned), 4),
                },
                ensure_ascii=False,
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
