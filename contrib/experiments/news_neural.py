"""Round-14 harness: does a neural reader of the whole sentence tell which texts have a subject?

One-off research script (not imported by the package; see text_models.md, "Round 14"). Rounds
12–13 left the has-subject decision for the news sentences at AUC ≈ 0.93 with linear readers of
character windows, n-grams, gazetteers and neighbours; "a model reading the whole sentence" was
the untried direction. Here: a character BiLSTM trained from scratch (nothing pretrained can be
had offline), per fold seed and fold on the other folds' texts of the **training part** only,
with two heads:

* a tagger head (O / B / I of every occurrence of a gold subject), on every text;
* a sentence head, "has a company subject", attention-pooled, on every text.

Held-out texts get two columns: the sentence head's logit and the tagger head's best B
log-odds. ``judge`` stacks them onto the shipped stacker's columns exactly as round 13's arms
(``news_hassubj.judge_extra``) and runs the same nested test. Bar, fixed before the first read:
mean group-F1 gain ≥ +0.5 point over the shipped stacker, no seed negative.

torch is not a project dependency; ``fit`` runs in a venv with ``torch==2.13.0`` (CPU) beside
the project's packages::

    cd contrib/experiments
    PYTHONPATH=../../src nice -n 5 /tmp/tv/bin/python news_neural.py fit --work /tmp/s21/nn
    PYTHONPATH=../../src nice -n 5 /tmp/tv/bin/python news_neural.py fit --work /tmp/s21/nn \
        --pos --epochs 8 --tag _pos8
    PYTHONPATH=../../src /tmp/tv/bin/python news_neural.py judge --work /tmp/s21/nn \
        --events /tmp/s20/hs --tag _pos8   # or --tag ",_pos8": both readers' columns

``--events`` is the cache of ``news_hassubj.py events`` and ``tagger --fit-on news``.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from news_hassubj import (
    SEEDS,
    WEIGHTS,
    Part,
    _paired_se,
    arm_figures,
    news_gate,
    print_bar,
    stacked,
)

from smokewatch.text.models import tuning
from smokewatch.text.models.presence import other_log_odds

MAX_LEN = 256
EMBED = 64
POS_EMBED = 24
HIDDEN = 96
EPOCHS = 6
BATCH = 32
VARIANT = {"pos": False, "epochs": EPOCHS, "tag": ""}
"""Set by ``fit --pos/--epochs/--tag``: jieba word-class input, epochs, cache name suffix."""


def word_classes(texts: list[str]) -> list[np.ndarray]:
    """Per character: jieba's word class of the word it is in × its place (B/M/E/S) in it.

    jieba's dictionary and its part-of-speech table ship with the package: the one piece of
    prior knowledge of Chinese words to be had offline.
    """
    import jieba.posseg

    kinds: dict[str, int] = {}
    out = []
    for text in texts:
        codes: list[int] = []
        for pair in jieba.posseg.lcut(text[:MAX_LEN]):
            n = len(pair.word)
            kind = kinds.setdefault(pair.flag, len(kinds))
            places = [3] if n == 1 else [0, *([1] * (n - 2)), 2]
            codes.extend(1 + 4 * kind + p for p in places)
        out.append(np.asarray(codes[:MAX_LEN] or [0], dtype=np.int64))
    return out


def vocabulary(texts: list[str]) -> dict[str, int]:
    """Characters seen twice or more in the fitted texts; 0 pads, 1 is unknown."""
    counts = Counter(c for t in texts for c in t[:MAX_LEN])
    keep = sorted(c for c, n in counts.items() if n >= 2)
    return {c: i + 2 for i, c in enumerate(keep)}


def encode(text: str, vocab: dict[str, int]) -> np.ndarray:
    return np.asarray([vocab.get(c, 1) for c in text[:MAX_LEN]] or [1], dtype=np.int64)


def bio(text: str, golds: set[str]) -> np.ndarray:
    """O 0 / B 1 / I 2 of every occurrence of every gold subject (longest first wins)."""
    tags = np.zeros(min(len(text), MAX_LEN) or 1, dtype=np.int64)
    for name in sorted(golds, key=len, reverse=True):
        start = text.find(name)
        while start >= 0:
            end = start + len(name)
            if end <= len(tags) and not tags[start:end].any():
                tags[start] = 1
                tags[start + 1 : end] = 2
            start = text.find(name, start + 1)
    return tags


def _model(n_chars: int, n_pos: int) -> Any:
    import torch
    from torch import nn

    class Reader(nn.Module):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.embed = nn.Embedding(n_chars, EMBED, padding_idx=0)
            self.pos = nn.Embedding(n_pos, POS_EMBED, padding_idx=0) if n_pos else None
            self.drop = nn.Dropout(0.25)
            width = EMBED + (POS_EMBED if n_pos else 0)
            self.lstm = nn.LSTM(width, HIDDEN, batch_first=True, bidirectional=True)
            self.tag = nn.Linear(2 * HIDDEN, 3)
            self.attend = nn.Linear(2 * HIDDEN, 1)
            self.sentence = nn.Linear(4 * HIDDEN + 1, 1)

        def forward(self, x: Any, mask: Any, pos: Any) -> tuple[Any, Any]:
            e = self.embed(x)
            if self.pos is not None:
                e = torch.cat([e, self.pos(pos)], -1)
            h, _ = self.lstm(self.drop(e))
            h = self.drop(h)
            tags = self.tag(h)
            a = self.attend(h).squeeze(-1).masked_fill(~mask, -1e9)
            pooled = (torch.softmax(a, dim=1).unsqueeze(-1) * h).sum(1)
            maxed = h.masked_fill(~mask.unsqueeze(-1), -1e9).max(1).values
            b = torch.log_softmax(tags, -1)[..., 1].masked_fill(~mask, -1e9).max(1).values
            return tags, self.sentence(torch.cat([pooled, maxed, b.unsqueeze(-1)], -1)).squeeze(-1)

    return Reader()


def _batches(
    order: np.ndarray, seqs: list[np.ndarray], size: int, rng: np.random.Generator | None
) -> list[np.ndarray]:
    """Length-bucketed batches (shuffled within and across buckets when ``rng`` is given)."""
    by_len = order[np.argsort([len(seqs[i]) for i in order], kind="stable")]
    if rng is not None:  # jitter: sort by length + noise so batches differ per epoch
        noise = rng.uniform(0, 8, len(by_len))
        by_len = order[np.argsort([len(seqs[i]) + n for i, n in zip(order, noise, strict=True)])]
    groups = [by_len[i : i + size] for i in range(0, len(by_len), size)]
    if rng is not None:
        rng.shuffle(groups)  # type: ignore[arg-type]
    return groups


def _pad(rows: list[np.ndarray]) -> np.ndarray:
    out = np.zeros((len(rows), max(len(r) for r in rows)), dtype=np.int64)
    for i, r in enumerate(rows):
        out[i, : len(r)] = r
    return out


def fit_fold(
    part: Part, fit: np.ndarray, held: np.ndarray, seed: int, pos: list[np.ndarray] | None
) -> tuple[np.ndarray, list[float]]:
    """Train on ``fit`` texts, return ``held`` texts' (sentence logit, best B log-odds)."""
    import torch
    from torch import nn

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    vocab = vocabulary([part.distinct[i] for i in fit])
    seqs = [encode(t, vocab) for t in part.distinct]
    tags = [bio(t, g) for t, g in zip(part.distinct, part.golds, strict=True)]
    has = np.asarray([float(bool(g)) for g in part.golds], dtype=np.float32)
    n_pos = 1 + max(int(p.max()) for p in pos) if pos else 0
    model = _model(len(vocab) + 2, n_pos)
    seqs_pos = pos or [np.zeros(len(q), dtype=np.int64) for q in seqs]
    optimiser = torch.optim.Adam(model.parameters(), lr=2e-3)
    tag_loss = nn.CrossEntropyLoss(ignore_index=-1)
    sentence_loss = nn.BCEWithLogitsLoss()
    losses = []
    for _ in range(int(VARIANT["epochs"])):
        model.train()
        total = 0.0
        for group in _batches(fit, seqs, BATCH, rng):
            x = torch.from_numpy(_pad([seqs[i] for i in group]))
            y = _pad([tags[i] + 1 for i in group]) - 1  # -1 pads
            mask = x != 0
            mask[:, 0] = True
            out_tags, out_sentence = model(
                x, mask, torch.from_numpy(_pad([seqs_pos[i] for i in group]))
            )
            loss = tag_loss(out_tags.reshape(-1, 3), torch.from_numpy(y).reshape(-1))
            loss = loss + sentence_loss(out_sentence, torch.from_numpy(has[group]))
            optimiser.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimiser.step()
            total += loss.item() * len(group)
        losses.append(total / len(fit))
    model.eval()
    out = np.zeros((len(held), 2))
    position = {d: k for k, d in enumerate(held.tolist())}
    with torch.no_grad():
        for group in _batches(held, seqs, 128, None):
            x = torch.from_numpy(_pad([seqs[i] for i in group]))
            mask = x != 0
            mask[:, 0] = True
            out_tags, out_sentence = model(
                x, mask, torch.from_numpy(_pad([seqs_pos[i] for i in group]))
            )
            lp = torch.log_softmax(out_tags, -1)
            b = (lp[..., 1] - torch.log1p(-lp[..., 1].exp().clamp(max=1 - 1e-6))).masked_fill(
                ~mask, -1e9
            )
            rows = [position[i] for i in group.tolist()]
            out[rows, 0] = out_sentence.numpy()
            out[rows, 1] = b.max(1).values.numpy()
    return out, losses


def fit(part: Part, work: Path, threads: int) -> None:
    """Per fold seed and fold: the reader of the other folds scores the held-out texts."""
    import torch
    from sklearn.metrics import roc_auc_score

    torch.set_num_threads(threads)
    gate = news_gate(part)
    has = np.asarray([bool(g) for g in part.golds])
    began = time.time()
    pos = word_classes(part.distinct) if VARIANT["pos"] else None
    print(f"word classes {time.time() - began:.0f} s", flush=True)
    for s in SEEDS:
        path = work / f"neural{VARIANT['tag']}_s{s}.npy"
        if path.exists():
            continue
        _, text_fold = part.text_folds(s)
        x = np.zeros((len(part.distinct), 2))
        for f in range(tuning.FOLDS):
            fit_docs = np.flatnonzero(text_fold != f)
            held = np.flatnonzero(text_fold == f)
            x[held], losses = fit_fold(part, fit_docs, held, 1000 * s + f, pos)
            g = held[gate[held]]
            aucs = [round(float(roc_auc_score(has[g], x[g, j])), 4) for j in range(2)]
            print(
                f"seed {s} fold {f}: losses {np.round(losses, 3).tolist()}, gated AUC "
                f"sentence / best B {aucs}, {time.time() - began:.0f} s",
                flush=True,
            )
        np.save(path, x)


def judge(part: Part, work: Path, events: Path) -> None:
    """The shipped stacker against shipped + the reader's columns (gated texts); nested."""
    from sklearn.metrics import roc_auc_score

    has = np.asarray([bool(g) for g in part.golds])
    none = (~has).astype(np.int64)
    news_flag = news_gate(part).astype(float)
    gate = news_flag > 0
    gains: list[float] = []
    for s in SEEDS:
        scores = np.load(events / f"events_s{s}.npy")
        feats = np.load(events / f"tagger_news_s{s}.npy")
        neural = np.hstack(
            [np.load(work / f"neural{t}_s{s}.npy") for t in VARIANT["tag"].split(",")]
        )
        log_odds = other_log_odds(scores, 0)
        base_x = np.column_stack([log_odds, news_flag, news_flag * log_odds])
        shipped_x = np.column_stack([base_x, news_flag[:, None] * feats])
        arms = {
            "shipped": shipped_x,
            "reader alone + base": np.column_stack([base_x, news_flag[:, None] * neural]),
            "shipped + reader": np.column_stack([shipped_x, news_flag[:, None] * neural]),
        }
        row: dict[str, object] = {"seed": s}
        for j in range(neural.shape[1]):
            row[f"AUC reader column {j}, gated"] = round(
                float(roc_auc_score(has[gate], neural[gate, j])), 4
            )
        figures, predictions = {}, {}
        for arm, x in arms.items():
            figures[arm], predictions[arm] = arm_figures(
                row, arm, stacked(x, none, s), part, scores, s, WEIGHTS, gate, "gated"
            )
        gains.append(figures["shipped + reader"]["group_f1"] - figures["shipped"]["group_f1"])
        row["Δ group F1 (points)"] = round(100 * gains[-1], 2)
        row["Δ bootstrap SE (points)"] = round(
            100 * _paired_se(part.targets, predictions["shipped + reader"], predictions["shipped"]),
            2,
        )
        print(json.dumps(row, ensure_ascii=False), flush=True)
    print_bar(gains)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("step", choices=("fit", "judge"))
    parser.add_argument("--work", type=Path, required=True, help="cache of the reader's columns")
    parser.add_argument("--events", type=Path, help="judge: news_hassubj.py's cache")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--pos", action="store_true", help="fit: jieba word classes as input")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--tag", default="", help="fit: cache name suffix; judge: the arms read")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    VARIANT.update(pos=args.pos, epochs=args.epochs, tag=args.tag)
    part = Part.load()
    if args.step == "fit":
        fit(part, args.work, args.threads)
    else:
        judge(part, args.work, args.events)


if __name__ == "__main__":
    main()
