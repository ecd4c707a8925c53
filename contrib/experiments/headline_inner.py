"""Round-8 harness: a learned choice among a glued text's best candidates (training part only).

One-off research script (not imported by the package; see text_models.md, "Round 8"). It
builds on ``news_inner.py`` (same split, same inner data; the validation part is dropped on
load) and on its ``candidates`` output (3-fold out-of-fold rankers' best-8 lists).

    PYTHONPATH=src .venv/bin/python contrib/experiments/news_inner.py candidates --seed 0 --work W
    PYTHONPATH=src .venv/bin/python contrib/experiments/headline_inner.py readings --seed 0 --work W
    PYTHONPATH=src .venv/bin/python contrib/experiments/headline_inner.py segments --seed 0 --work W
    PYTHONPATH=src .venv/bin/python contrib/experiments/headline_inner.py choose --seeds 0 --work W

* ``readings``: out-of-fold event models (the protocol's text folds, seeded as round 7's
  ``headline``) read every distinct training text once for each of its best
  :data:`TOP` candidates; the raw scores go to ``readings_s{seed}.npy`` (``TOP × texts × labels``).
* ``choose``: per coded text with a subject, the conditional logit of
  ``headline_choice.py`` over its best candidates, fitted and judged by
  5-fold cross-validation over texts (the L2 strength chosen nested, inside the training
  folds), against the rankers' winner and round 7's runner-up rule (weight 5); ``--fit``
  writes the coefficients fitted on all coded texts of all given seeds.
* ``labels``: what the annotators label when several headlines read as events.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import headline_choice as headline
import news_inner as ni

from smokewatch.text.models import news, subjects

TOP = 4


def _texts_candidates(cands: list[dict]) -> list[list[str | None]]:
    """The best :data:`TOP` candidate strings of every text (``top[0]`` is the repaired pick)."""
    out: list[list[str | None]] = []
    for c in cands:
        pick = c["pick"]
        row: list[str | None] = [pick]
        row += [s[0] if pick and s[0] != pick else None for s in c["top"][1:TOP]]
        row += [None] * (TOP - len(row))
        out.append(row)
    return out


def _training(inner: ni.Inner, seed: int, work: Path) -> tuple[list[dict], Any, np.ndarray]:
    """The out-of-fold candidates, the event model's training keys and every text's fold."""
    cands = ni._load_candidates(work, seed)
    distinct = inner.distinct
    number = {t: i for i, t in enumerate(distinct)}
    picks = [c["pick"] for c in cands]
    rows, keys, y = ni._training_keys(inner, [picks[number[t]] for t in inner.folded])
    fold = ni.tuning.text_folds(
        inner.folded, [r[2] for r in inner.train], seed=ni.SPLIT_SEED + seed
    )
    text_fold = np.zeros(len(distinct), dtype=np.int64)
    text_fold[inner.row_text] = fold
    return cands, (rows, keys, y, fold), text_fold


def readings(inner: ni.Inner, seed: int, work: Path) -> None:
    cands, training, text_fold = _training(inner, seed, work)
    distinct = inner.distinct
    batch = inner.alphabet.encode(distinct)
    hits = inner.trig.find_all(batch.joined)
    tops = _texts_candidates(cands)
    reads = [news.event_keys(batch, [t[k] for t in tops], hits) for k in range(TOP)]
    raw = ni._fold_scores(training, text_fold, reads, ni.tuning.FOLDS, len(inner.labels))
    np.save(work / f"readings_s{seed}.npy", np.stack(raw))
    print(f"seed {seed}: readings {np.stack(raw).shape}")


NAME_BEFORE_CODE = 4
"""A stock's short name before its code: most A-share names have four characters."""


def headline_span(text: str, at: int) -> tuple[int, int]:
    """The glued headline around position ``at``: headlines start at ``name(code)``."""
    cuts = [max(int(c) - NAME_BEFORE_CODE, 0) for c in subjects.stock_codes(text)[:, 0]]
    lo = max([c for c in cuts if c <= at], default=0)
    hi = min([c for c in cuts if c > at], default=len(text))
    return lo, hi


def segment_readings(inner: ni.Inner, seed: int, work: Path) -> None:
    """Out-of-fold event scores of each candidate's headline read *alone* (its segment)."""
    cands, training, text_fold = _training(inner, seed, work)
    distinct = inner.distinct
    tops = _texts_candidates(cands)
    reads = []
    for j in range(TOP):
        texts, names = [], []
        for i, text in enumerate(distinct):
            name = tops[i][j]
            if name is None:
                texts.append("")
                names.append(None)
                continue
            at = text.find(name) if j == 0 else int(cands[i]["top"][j][1])
            lo, hi = headline_span(text, at)
            texts.append(text[lo:hi])
            names.append(name)
        batch = inner.alphabet.encode(texts)
        reads.append(news.event_keys(batch, names, inner.trig.find_all(batch.joined)))
    raw = ni._fold_scores(training, text_fold, reads, ni.tuning.FOLDS, len(inner.labels))
    np.save(work / f"headlines_s{seed}.npy", np.stack(raw))
    print(f"seed {seed}: segment readings {np.stack(raw).shape}")


def _design(inner: ni.Inner, seed: int, work: Path):
    """Features of every coded text with a subject: (x, valid, gold, rule5 choice, texts)."""
    cands = ni._load_candidates(work, seed)
    raw = np.load(work / f"readings_s{seed}.npy")
    distinct, by_text = inner.distinct, inner.by_text
    tops = _texts_candidates(cands)
    coded = np.asarray([len(subjects.stock_codes(t)) > 0 for t in distinct])
    idx = np.flatnonzero(coded & inner.has)
    batch = inner.alphabet.encode([distinct[i] for i in idx])
    hits = inner.trig.find_all(batch.joined)
    codes = subjects.stock_codes(batch.joined)
    n, k = len(idx), TOP
    starts = np.full((n, k), -1, dtype=np.int64)
    ends = np.full((n, k), -1, dtype=np.int64)
    second = np.zeros((n, k))
    for r, i in enumerate(idx.tolist()):
        text = distinct[i]
        scores = {s[0]: s[2] for s in cands[i]["top"]}
        top0 = cands[i]["top"][0][2]
        for j, name in enumerate(tops[i]):
            if name is None:
                continue
            if j == 0:  # the repaired winner: its mention near the ranker's winner
                at = text.find(name, max(int(cands[i]["top"][0][1]) - 4, 0))
                at = at if at >= 0 else text.find(name)
            else:
                at = int(cands[i]["top"][j][1])
            starts[r, j] = at + int(batch.starts[r])
            ends[r, j] = starts[r, j] + len(name)
            second[r, j] = scores.get(name, top0) - top0 if j else 0.0
    x, valid = headline.features(
        batch, starts, ends, second, raw[:, idx].transpose(1, 0, 2), hits=hits, codes=codes,
        none=inner.labels.index(news.NONE_LABEL),
    )  # fmt: skip
    gold = np.full(n, -1, dtype=np.int64)
    for r, i in enumerate(idx.tolist()):
        for j, name in enumerate(tops[i]):
            if name is not None and name in by_text[distinct[i]]:
                gold[r] = j
                break
    none = inner.labels.index(news.NONE_LABEL)
    gain = 5.0 * (news.event_strength(raw[1, idx], none) - news.event_strength(raw[0, idx], none))
    rule = np.where((valid[:, 1]) & (gain > -second[:, 1]), 1, 0)
    return x, valid, gold, rule, idx, raw[:, idx]


def choose(inner: ni.Inner, seeds: list[int], work: Path, fit: Path | None) -> None:
    l2s = (0.1, 1.0, 10.0)
    allx, allv, allg = [], [], []
    for seed in seeds:
        x, valid, gold, rule, idx, raw = _design(inner, seed, work)
        n = len(gold)
        five = np.random.default_rng(seed).permutation(n) % 5
        choice = np.zeros(n, dtype=np.int64)
        chosen_l2 = []
        for f in range(5):
            tr, te = five != f, five == f
            # nested L2: 4-fold CV inside the training folds
            inner_fold = np.random.default_rng(100 + f).permutation(int(tr.sum())) % 4
            xt, vt, gt = x[tr], valid[tr], gold[tr]
            best, best_acc = l2s[0], -1.0
            for l2 in l2s:
                acc = 0.0
                for g in range(4):
                    a, b = inner_fold != g, inner_fold == g
                    w = headline.fit_choice(xt[a], vt[a], gt[a], l2=l2)
                    acc += float((headline.choose(xt[b], vt[b], w) == gt[b]).sum())
                if acc > best_acc:
                    best, best_acc = l2, acc
            chosen_l2.append(best)
            w = headline.fit_choice(xt, vt, gt, l2=best)
            choice[te] = headline.choose(x[te], valid[te], w)
        d_rule = (choice == gold).astype(float) - (rule == gold)
        print(
            f"seed {seed}: {n} coded texts; gold in top-{TOP} {float((gold >= 0).mean()):.4f}; "
            f"winner {float((gold == 0).mean()):.4f}, rule5 {float((rule == gold).mean()):.4f}, "
            f"learned {float((choice == gold).mean()):.4f} (l2 {chosen_l2}); learned - rule5 "
            f"{d_rule.mean():+.4f} ± {d_rule.std() / np.sqrt(n):.4f}; switched "
            f"{int((choice > 0).sum())}, fixed {int(((choice == gold) & (gold != 0)).sum())}, "
            f"broken {int(((choice != gold) & (gold == 0)).sum())}"
        )
        targets = inner.targets
        for name, ch in (
            ("winner", np.zeros(n, dtype=np.int64)),
            ("rule5", rule),
            ("learned", choice),
        ):
            scores = raw[ch, np.arange(n)]
            lab = scores.argmax(1)
            ok = targets.carried[idx, lab].mean()
            print(f"   event right (raw argmax) with {name}: {ok:.4f}")
        allx.append(x)
        allv.append(valid)
        allg.append(gold)
        np.save(work / f"choice_s{seed}.npy", choice)
    if fit is not None:
        x, v, g = np.concatenate(allx), np.concatenate(allv), np.concatenate(allg)
        w = headline.fit_choice(x, v, g, l2=1.0)
        fit.write_text(
            json.dumps(
                dict(zip(headline.FEATURES, np.round(w, 4).tolist(), strict=False)), indent=1
            )
        )
        print(dict(zip(headline.FEATURES, np.round(w, 3).tolist(), strict=False)))


def labels(inner: ni.Inner, seed: int, work: Path) -> None:
    """Which headline the annotators label when several read as events."""
    x, valid, gold, _, _, raw = _design(inner, seed, work)
    none = inner.labels.index(news.NONE_LABEL)
    p_none = np.exp(raw[..., none] - np.log(np.exp(raw).sum(-1)))  # TOP x n
    event = (p_none < 0.5).T & valid
    several = (event.sum(1) >= 2) & (gold >= 0)
    print(f"{int(several.sum())} of {len(gold)} texts: >= 2 of the best {TOP} read as events")
    lab = raw.argmax(-1).T
    first_event = np.argmax(event, axis=1)
    print(
        "gold is the first event candidate by rank:",
        float((gold[several] == first_event[several]).mean()),
    )
    # by position in the text
    pos = np.where(valid, x[:, :, headline.FEATURES.index("segment_index")], 99)
    order = np.where(event, pos, 99)
    earliest = order.argmin(1)
    print(
        "gold is the earliest event headline:", float((gold[several] == earliest[several]).mean())
    )
    gold_lab = Counter(inner.labels[lab[r, gold[r]]] for r in np.flatnonzero(several))
    other_lab = Counter(
        inner.labels[lab[r, j]] for r in np.flatnonzero(several) for j in range(TOP)
        if event[r, j] and j != gold[r]
    )  # fmt: skip
    print("label of gold vs of other event candidates (share gold):")
    for name in sorted(set(gold_lab) | set(other_lab), key=lambda k: -gold_lab[k] - other_lab[k]):
        a, b = gold_lab[name], other_lab[name]
        print(f"  {name}: gold {a}, other {b}, share {a / max(a + b, 1):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("step", choices=("readings", "segments", "choose", "labels"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--seeds", type=int, nargs="*", default=[0])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--fit", type=Path, default=None)
    args = parser.parse_args()
    inner = ni.Inner()
    if args.step == "readings":
        readings(inner, args.seed, args.work)
    elif args.step == "segments":
        segment_readings(inner, args.seed, args.work)
    elif args.step == "choose":
        choose(inner, args.seeds, args.work, args.fit)
    else:
        labels(inner, args.seed, args.work)


if __name__ == "__main__":
    main()
