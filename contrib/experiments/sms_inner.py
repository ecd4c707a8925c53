"""Round-7 harness for the sms-fraud model: multi-seed out-of-fold runs inside the training part.

One-off research script (not imported by the package; see text_models.md, "Round 7 — SMS").
It never reads the validation part: the split is made exactly as ``smokewatch text train
--task sms-fraud`` makes it and the validation rows are dropped before anything else.

    PYTHONPATH=src .venv/bin/python contrib/experiments/sms_inner.py run --view c24 --work W
    PYTHONPATH=src .venv/bin/python contrib/experiments/sms_inner.py report --work W
    PYTHONPATH=src .venv/bin/python contrib/experiments/sms_inner.py dups --work W

* ``run``: for every fold seed, 5 folds over the distinct training texts (grouped by text,
  stratified by label; all rows of a text in one fold); each fold featurises its training
  texts with the shipped code (neutralise → alphabet → char n-gram keys → columns with
  ``min_df`` 2 → sublinear TF-IDF) and fits the heads of ``--heads``; the out-of-fold scores
  of every row are saved as ``W/<view>.<head>.s<seed>.npy`` (rows × classes).
* ``report``: loan F1 and accuracy per (variant, seed), derived candidates (LR + SVM means,
  a loan log-odds offset tuned out-of-fold), paired differences against the shipped recipe
  (``c24.lr20``) with their standard errors over seeds, and the calibration of the
  fraud-vs-normal probability (the model's share of ``risk_score``).
* ``dups``: exact and near-duplicate texts (cosine of char 2–4 TF-IDF rows) and how many of
  them carry different labels.

Views: ``c24`` (shipped: char 2–4), ``c14``, ``c15`` (5-grams hashed into 56-bit keys, for
the experiment only), ``c24raw`` (raw instead of sublinear tf), ``c24w`` (char 2–4 plus
jieba word 1–2-grams); a ``dd`` suffix (``c24dd``) trains on every distinct text once.
Heads: ``lr<C>`` (the shipped ``fit_logistic``, balanced) and ``svm<C>`` (scikit-learn
``LinearSVC``, balanced; decision values). Needs the ``ml`` extra.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from smokewatch.text.models import sms
from smokewatch.text.models.encoding import (
    Alphabet,
    KeyIndex,
    count_matrix,
    fit_columns,
    key_of,
    ngram_keys,
    tfidf_matrix,
)
from smokewatch.text.models.linear import fit_logistic
from smokewatch.text.models.metrics import grouped_split
from smokewatch.text.models.training import LOAN_FRAUD, read_sms

DATA = Path("/work/shared/data/telecom-fraud-texts/telecom_fraud_texts_utf8.csv")
SPLIT_SEED = 20261121
FOLDS = 5
BASE = "c24.lr20"
DISCOVERY = 5
"""Seeds below this choose candidates; the seeds from it on only confirm them."""
_MASK56 = np.uint64((1 << 56) - 1)
_MIX = np.uint64(0x9E3779B97F4A7C15)
BANDS = (0.9, 0.8, 0.7, 0.6, 0.5)


class Inner:
    """The training part of the split (validation rows dropped on construction)."""

    def __init__(self) -> None:
        rows = read_sms(DATA)
        is_val = grouped_split(
            [r[0] for r in rows], [r[1] for r in rows], fraction=0.2, seed=SPLIT_SEED
        )
        self.labels = sorted({r[1] for r in rows}, key=lambda label: (label != "正常短信", label))
        train = [r for r, v in zip(rows, is_val, strict=True) if not v]
        del rows, is_val  # the validation part is never used here
        self.texts = [t for t, _ in train]
        self.gold = np.array([self.labels.index(label) for _, label in train], dtype=np.int64)
        self.neutral = [sms.neutralise(t) for t in self.texts]
        self.loan = self.labels.index(LOAN_FRAUD)
        self.normal = self.labels.index("正常短信")

    def folds(self, seed: int, k: int = FOLDS) -> np.ndarray:
        """Fold of every row: distinct texts dealt round-robin per label after a seeded shuffle."""
        first: dict[str, int] = {}
        for i, t in enumerate(self.texts):
            first.setdefault(t, i)
        by_label: dict[int, list[str]] = defaultdict(list)
        for t, i in sorted(first.items(), key=lambda kv: kv[1]):
            by_label[int(self.gold[i])].append(t)
        rng = random.Random(seed)
        fold_of: dict[str, int] = {}
        offset = 0
        for label in sorted(by_label):
            group = by_label[label]
            rng.shuffle(group)
            for j, t in enumerate(group):
                fold_of[t] = (j + offset) % k
            offset += len(group)
        return np.array([fold_of[t] for t in self.texts], dtype=np.int64)


# -- views -------------------------------------------------------------------------------


def _grams(alphabet: Alphabet, texts: list[str], orders: tuple[int, ...]) -> tuple[Any, Any]:
    """``(row, key)`` of the char n-grams (as :func:`sms.ngram_rows`; order 5 hashed)."""
    batch = alphabet.encode(texts)
    size = len(batch.ids)
    rows, keys = [], []
    for order in orders:
        if order <= 4:
            positions, k = ngram_keys(batch.ids, np.arange(max(size - order + 1, 0)), order, order)
        else:
            positions, k4 = ngram_keys(batch.ids, np.arange(max(size - order + 1, 0)), 4, 4)
            nxt = batch.ids[positions + 4]
            ok = nxt > 0
            positions, k4, nxt = positions[ok], k4[ok], nxt[ok]
            mixed = (k4.astype(np.uint64) * _MIX + nxt.astype(np.uint64)) & _MASK56
            k = key_of(order, mixed.astype(np.int64))
        rows.append(batch.doc[positions])
        keys.append(k)
    return np.concatenate(rows), np.concatenate(keys)


def _raw_tfidf(rows: Any, columns: Any, n_rows: int, idf: Any) -> sparse.csr_matrix:
    matrix = count_matrix(rows, columns, (n_rows, len(idf)))
    matrix.data = matrix.data * idf[matrix.indices]
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0.0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)


def char_view(
    train: list[str], test: list[str], orders: tuple[int, ...], *, sublinear: bool = True
) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """TF-IDF rows of the training and held-out texts, columns fitted on the training texts."""
    alphabet = Alphabet.fit(train, min_df=2)
    r, k = _grams(alphabet, train, orders)
    keys, idf = fit_columns(r, k, min_df=2, n_rows=len(train))
    index = KeyIndex(keys)
    weigh = tfidf_matrix if sublinear else _raw_tfidf
    x_train = weigh(r, index.lookup(k), len(train), idf)
    r2, k2 = _grams(alphabet, test, orders)
    return x_train, weigh(r2, index.lookup(k2), len(test), idf)


def word_view(train: list[str], test: list[str]) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """Sublinear TF-IDF of jieba word 1–2-grams of the neutralised texts."""
    import jieba
    from sklearn.feature_extraction.text import TfidfVectorizer

    def tokens(text: str) -> list[str]:
        words = [w for w in jieba.lcut(text) if w.strip()]
        return words + [a + "_" + b for a, b in itertools.pairwise(words)]

    vec = TfidfVectorizer(analyzer=tokens, sublinear_tf=True, min_df=2)
    return vec.fit_transform(train), vec.transform(test)


def features(
    view: str, train: list[str], test: list[str]
) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    if view == "c24":
        return char_view(train, test, (2, 3, 4))
    if view == "c14":
        return char_view(train, test, (1, 2, 3, 4))
    if view == "c15":
        return char_view(train, test, (1, 2, 3, 4, 5))
    if view == "c24raw":
        return char_view(train, test, (2, 3, 4), sublinear=False)
    if view == "c24w":
        a, b = char_view(train, test, (2, 3, 4))
        c, d = word_view(train, test)
        return sparse.hstack([a, c]).tocsr(), sparse.hstack([b, d]).tocsr()
    raise SystemExit(f"unknown view {view}")


def fit_head(head: str, x: sparse.csr_matrix, y: np.ndarray, n_classes: int) -> Any:
    """Scores function of a fitted head (``lr<C>`` probabilities, ``svm<C>`` decision values)."""
    if head.startswith("lr"):
        model = fit_logistic(x, y, n_classes=n_classes, c=float(head[2:]), class_weight="balanced")
        return model.probabilities
    if head.startswith("svm"):
        from sklearn.svm import LinearSVC

        svm = LinearSVC(C=float(head[3:]), class_weight="balanced", max_iter=5000)
        svm.fit(x, y)
        return svm.decision_function
    raise SystemExit(f"unknown head {head}")


def run(args: argparse.Namespace) -> None:
    inner = Inner()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    n, n_classes = len(inner.texts), len(inner.labels)
    for seed in args.seeds:
        todo = [h for h in args.heads if not (work / f"{args.view}.{h}.s{seed}.npy").exists()]
        if not todo:
            continue
        fold = inner.folds(seed)
        out = {h: np.zeros((n, n_classes)) for h in todo}
        began = time.perf_counter()
        for f in range(FOLDS):
            tr, te = np.flatnonzero(fold != f), np.flatnonzero(fold == f)
            if args.view.endswith("dd"):  # train on each distinct text once
                tr = np.array(sorted({inner.texts[i]: i for i in tr[::-1]}.values()))
            x_tr, x_te = features(
                args.view.removesuffix("dd"),
                [inner.neutral[i] for i in tr],
                [inner.neutral[i] for i in te],
            )
            for h in todo:
                out[h][te] = fit_head(h, x_tr, inner.gold[tr], n_classes)(x_te)
        for h in todo:
            np.save(work / f"{args.view}.{h}.s{seed}.npy", out[h])
        took = time.perf_counter() - began
        print(f"{args.view} seed {seed} heads {todo}: {took:.0f} s", flush=True)


# -- report ------------------------------------------------------------------------------


def softmax(z: np.ndarray, t: float = 1.0) -> np.ndarray:
    z = t * (z - z.max(axis=1, keepdims=True))
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True))


def loan_f1(gold: np.ndarray, pred: np.ndarray, loan: int) -> float:
    tp = int(np.sum((gold == loan) & (pred == loan)))
    fp = int(np.sum((gold != loan) & (pred == loan)))
    fn = int(np.sum((gold == loan) & (pred != loan)))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def offset_predictions(
    inner: Inner, probs: np.ndarray, fold: np.ndarray, grid: np.ndarray
) -> np.ndarray:
    """Argmax after adding a loan log-odds offset chosen on the other folds' OOF rows."""
    logp = np.log(np.clip(probs, 1e-12, 1.0))
    pred = np.zeros(len(probs), dtype=np.int64)
    for f in range(FOLDS):
        fit, use = fold != f, fold == f
        best, best_f1 = 0.0, -1.0
        for b in grid:  # ties: the smallest |offset|, grid is ordered by |b|
            shifted = logp[fit].copy()
            shifted[:, inner.loan] += b
            f1 = loan_f1(inner.gold[fit], shifted.argmax(axis=1), inner.loan)
            if f1 > best_f1 + 1e-12:
                best, best_f1 = float(b), f1
        shifted = logp[use].copy()
        shifted[:, inner.loan] += best
        pred[use] = shifted.argmax(axis=1)
    return pred


def calibration(gold_fraud: np.ndarray, p_fraud: np.ndarray) -> dict[str, float]:
    """Brier, log loss and 10-bin expected calibration error of P(fraud)."""
    p = np.clip(p_fraud, 1e-9, 1 - 1e-9)
    y = gold_fraud.astype(np.float64)
    bins = np.minimum((p * 10).astype(int), 9)
    ece = sum(
        abs(float(y[bins == b].mean() - p[bins == b].mean())) * float(np.mean(bins == b))
        for b in range(10)
        if np.any(bins == b)
    )
    return {
        "brier": float(np.mean((p - y) ** 2)),
        "logloss": float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))),
        "ece": float(ece),
    }


def temperature_scaled(
    probs: np.ndarray, inner: Inner, fold: np.ndarray, grid: np.ndarray
) -> tuple[np.ndarray, list[float]]:
    """Probabilities after a softmax temperature chosen on the other folds' OOF rows.

    The temperature minimises the multiclass log loss (``-log p`` of the gold class); argmax,
    hence every F1, is unchanged.
    """
    logp = np.log(np.clip(probs, 1e-12, 1.0))
    out = np.zeros_like(probs)
    chosen = []
    for f in range(FOLDS):
        fit, use = fold != f, fold == f
        gold = inner.gold[fit]
        losses = [
            -float(np.mean(np.log(softmax(logp[fit], t)[np.arange(len(gold)), gold] + 1e-300)))
            for t in grid
        ]
        t = float(grid[int(np.argmin(losses))])
        chosen.append(t)
        out[use] = softmax(logp[use], t)
    return out, chosen


def multiclass_nll(probs: np.ndarray, gold: np.ndarray) -> float:
    return -float(np.mean(np.log(np.clip(probs[np.arange(len(gold)), gold], 1e-12, 1.0))))


def report(args: argparse.Namespace) -> None:
    inner = Inner()
    work = Path(args.work)
    found: dict[str, dict[int, np.ndarray]] = defaultdict(dict)
    for path in sorted(work.glob("*.s*.npy")):
        name, seed = path.name[:-4].rsplit(".s", 1)
        found[name][int(seed)] = np.load(path)
    seeds = sorted(found[BASE])
    folds = {s: inner.folds(s) for s in seeds}
    grid = np.array(sorted(np.arange(-3.0, 3.01, 0.25), key=lambda b: (abs(b), b)))
    preds: dict[str, dict[int, np.ndarray]] = defaultdict(dict)
    for name, by_seed in found.items():
        for s, scores in by_seed.items():
            preds[name][s] = scores.argmax(axis=1)
    # derived candidates
    for name in [n for n in found if ".svm" in n]:
        for t in (1.0, 2.0, 4.0):
            for s in seeds:
                if s in found[name]:
                    mix = 0.5 * (found[BASE][s] + softmax(found[name][s], t))
                    preds[f"{BASE}+{name}@T{t:g}"][s] = mix.argmax(axis=1)
    for name in [n for n in found if n.startswith("c24.svm")]:  # same columns: one model
        for a in (0.5, 1.0, 2.0):
            for s in seeds:
                if s in found[name]:
                    mix = np.log(np.clip(found[BASE][s], 1e-300, 1.0)) + a * found[name][s]
                    preds[f"{BASE}(+){a:g}*{name}"][s] = mix.argmax(axis=1)
    for name in [n for n in found if ".lr" in n]:
        for s in seeds:
            if s in found[name]:
                preds[f"{name}+offset"][s] = offset_predictions(
                    inner, found[name][s], folds[s], grid
                )
    rows: list[dict[str, Any]] = []
    base = {s: loan_f1(inner.gold, preds[BASE][s], inner.loan) for s in seeds}

    def paired(f1: dict[int, float], which: list[int]) -> str:
        diff = [f1[s] - base[s] for s in which]
        if len(diff) < 2:
            return "–"
        se = float(np.std(diff, ddof=1)) / math.sqrt(len(diff))
        z = float(np.mean(diff)) / se if se else float("nan")
        return f"{np.mean(diff):+.4f} ± {se:.4f} (z {z:.1f}, n {len(diff)})"

    for name in sorted(preds):
        common = [s for s in seeds if s in preds[name]]
        f1 = {s: loan_f1(inner.gold, preds[name][s], inner.loan) for s in common}
        acc = [float(np.mean(preds[name][s] == inner.gold)) for s in common]
        rows.append(
            {
                "variant": name,
                "seeds": len(common),
                "loan_f1_mean": round(float(np.mean(list(f1.values()))), 4),
                "loan_f1_sd": round(float(np.std(list(f1.values()), ddof=1)), 4)
                if len(f1) > 1
                else None,
                "accuracy_mean": round(float(np.mean(acc)), 4),
                "discovery": paired(f1, [s for s in common if s < DISCOVERY]),
                "confirmation": paired(f1, [s for s in common if s >= DISCOVERY]),
                "per_seed": {s: round(x, 4) for s, x in f1.items()},
            }
        )
    print("| variant | seeds | loan F1 mean (sd) | accuracy | Δ seeds 0–4 | Δ seeds 5+ |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['variant']} | {r['seeds']} | {r['loan_f1_mean']:.4f} ({r['loan_f1_sd']}) "
            f"| {r['accuracy_mean']:.4f} | {r['discovery']} | {r['confirmation']} |"
        )
    # loan errors of the shipped recipe, per seed
    confusion: Counter[tuple[str, str]] = Counter()
    for s in seeds:
        g, p = inner.gold, preds[BASE][s]
        for a, b in zip(g.tolist(), p.tolist(), strict=True):
            if a != b and inner.loan in (a, b):
                confusion[(inner.labels[a], inner.labels[b])] += 1
    print("shipped loan confusions summed over seeds:", dict(confusion))
    # calibration of P(fraud) = 1 - P(正常短信)
    y = inner.gold != inner.normal
    tgrid = np.array([0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0, 6.0, 8.0])
    cal = []
    for s in seeds:
        raw = found[BASE][s]
        scaled, chosen = temperature_scaled(raw, inner, folds[s], tgrid)
        cal.append(
            (
                {
                    **calibration(y, 1.0 - raw[:, inner.normal]),
                    "nll": multiclass_nll(raw, inner.gold),
                },
                {
                    **calibration(y, 1.0 - scaled[:, inner.normal]),
                    "nll": multiclass_nll(scaled, inner.gold),
                },
                chosen,
            )
        )
    for key in ("brier", "logloss", "ece", "nll"):
        a = np.array([c[0][key] for c in cal])
        b = np.array([c[1][key] for c in cal])
        d = b - a
        se = float(np.std(d, ddof=1) / math.sqrt(len(d))) if len(d) > 1 else float("nan")
        print(
            f"P(fraud) {key}: raw {a.mean():.5f} temperature-scaled {b.mean():.5f} "
            f"(diff {d.mean():+.5f}, se {se:.5f})"
        )
    print("temperatures chosen:", [c[2] for c in cal])
    (work / "report.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1))


# -- duplicates ----------------------------------------------------------------------------


def dups(_: argparse.Namespace) -> None:
    inner = Inner()
    first: dict[str, int] = {}
    for i, t in enumerate(inner.texts):
        first.setdefault(t, i)
    distinct = sorted(first.values())
    texts = [inner.neutral[i] for i in distinct]
    gold = inner.gold[distinct]
    x, _ = char_view(texts, texts[:1], (2, 3, 4))
    print(f"rows {len(inner.texts)}, distinct texts {len(distinct)}")
    print(f"distinct after neutralise: {len(set(texts))}")
    by_band: Counter[tuple[float, bool]] = Counter()
    loan_conflicts: Counter[tuple[str, str]] = Counter()
    examples: list[tuple[float, str, str, str, str]] = []
    for lo in range(0, len(texts), 1000):
        sims = (x[lo : lo + 1000] @ x.T).toarray()
        for r in range(sims.shape[0]):
            i = lo + r
            sims[r, : i + 1] = 0.0
        ii, jj = np.nonzero(sims >= 0.5)
        for a, b in zip(ii.tolist(), jj.tolist(), strict=True):
            i, j, c = lo + a, b, float(sims[a, b])
            band = next(b for b in BANDS if c >= b)
            differ = bool(gold[i] != gold[j])
            by_band[(band, differ)] += 1
            if differ and inner.loan in (gold[i], gold[j]):
                pair = sorted((inner.labels[gold[i]], inner.labels[gold[j]]))
                loan_conflicts[(pair[0], pair[1])] += 1
                if c >= 0.6:
                    examples.append(
                        (
                            c,
                            inner.labels[gold[i]],
                            texts[i][:60],
                            inner.labels[gold[j]],
                            texts[j][:60],
                        )
                    )
    for band in BANDS:
        same, diff = by_band[(band, False)], by_band[(band, True)]
        print(f"pairs with cosine >= {band} (band): same label {same}, different label {diff}")
    print("loan pairs with different labels (cosine >= 0.5):", dict(loan_conflicts))
    for e in sorted(examples, reverse=True)[:8]:
        print(f"{e[0]:.2f} [{e[1]}] {e[2]}\n     [{e[3]}] {e[4]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("run")
    p.add_argument("--view", default="c24")
    p.add_argument("--heads", nargs="+", default=["lr20"])
    p.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2, 3, 4])
    p.add_argument("--work", required=True)
    p = sub.add_parser("report")
    p.add_argument("--work", required=True)
    p = sub.add_parser("dups")
    p.add_argument("--work", required=True)
    args = parser.parse_args()
    {"run": run, "report": report, "dups": dups}[args.command](args)


if __name__ == "__main__":
    main()
