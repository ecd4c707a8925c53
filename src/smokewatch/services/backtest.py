"""Backtests: what would smokewatch have said about the P2P platforms on a past date?

``smokewatch backtest p2p-wdzj --data PATH --as-of DAY --out SCORES.csv`` → :func:`p2p_wdzj`.
Everything happens in a temporary workspace that is removed afterwards:

1. **As-of view** (:func:`smokewatch.ingest.presets.wdzj.write_as_of_view`): a copy of the
   folder with only what existed on the as-of date — platforms operating then, problem events
   and monthly figures up to then, profile snapshot fields only when the snapshot is close to
   the date. Nothing later reaches any step below: they all read the view.
2. **Ingest** the view through the ``wdzj_*`` sources (typed tables ``platform``,
   ``platform_metric``, ``platform_event``; rejects counted).
3. **Model**: the platform-risk model is trained as of the same date on the view (out-of-time
   validation on the year before) and scores the operating platforms; the probabilities and
   their reasons become the engine table ``model_prediction``.
4. **Detect** the rules the platform scorecard reads, then **score** with ``SW-S-0002``.
5. **Write** one row per operating platform, riskiest first — ``platName,smoke_index,grade,
   <one column per dimension>,top_reasons`` — to a temporary file beside ``--out``, then
   rename it over ``--out`` (the file is complete or absent, never half-written).

Every step is deterministic (seeded single-thread model, ordered output), so the same inputs
give the same bytes.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa

from smokewatch.errors import InvalidInput, NotFound
from smokewatch.ingest.presets import wdzj
from smokewatch.progress import NO_PROGRESS, Progress
from smokewatch.score.gather import PREDICTION_TABLE
from smokewatch.score.scorecard import load_scorecards
from smokewatch.services.detect import detect
from smokewatch.services.ingest import ingest
from smokewatch.services.models import scratch_engine, train_platform_risk
from smokewatch.services.scores import score
from smokewatch.services.workspace import init_workspace, open_engine, open_store
from smokewatch.settings import EngineSettings, Settings, StoreSettings
from smokewatch.store import scoring
from smokewatch.store.repos import MAX_PAGE

SCORECARD = "SW-S-0002"
"""The platform scorecard the backtest applies."""
MODEL_TASK = "platform-risk"
KEY_COLUMN = "platName"
TOP_REASONS = 3
REASON_SEPARATOR = " | "
"""Between the reasons of ``top_reasons`` (a reason may itself contain ``；``)."""


@dataclass(frozen=True, slots=True)
class BacktestSummary:
    """What a backtest did and wrote."""

    dataset: str
    as_of: date
    out: Path
    rows: int
    scorecard: str
    by_grade: dict[str, int]
    columns: tuple[str, ...]
    view: wdzj.AsOfView
    ingested: dict[str, dict[str, int]]
    """Per source: rows read, loaded, rejected."""
    model: dict[str, Any]
    """The model's out-of-time validation (trained as of the same date)."""
    notes: tuple[str, ...]
    seconds: float


def _settings(root: Path, engine_url: str | None) -> Settings:
    """Settings of the temporary workspace; explicit URLs so no environment setting leaks in."""
    engine = EngineSettings(url=engine_url or f"duckdb:///{root / 'analytics.duckdb'}")
    store = StoreSettings(url=f"sqlite:///{root / 'store.sqlite'}")
    return Settings(workspace=root, engine=engine, store=store)


@contextmanager
def _workspace_root(keep: Path | None) -> Iterator[Path]:
    if keep is not None:
        if keep.exists() and any(keep.iterdir()):
            raise InvalidInput(f"{keep} is not empty; give a new or empty folder to keep")
        keep.mkdir(parents=True, exist_ok=True)
        yield keep.resolve()
        return
    with tempfile.TemporaryDirectory(prefix="sw-backtest-") as scratch:
        yield Path(scratch)


def _ingest_view(settings: Settings, view: wdzj.AsOfView, progress: Progress) -> dict[str, Any]:
    sources = settings.workspace / "sources"
    done: dict[str, Any] = {}
    for source_id, spec in wdzj.source_specs().items():
        folder = sources / source_id
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "source.yml").write_text(spec.read_text(encoding="utf-8"), encoding="utf-8")
    files = {
        "wdzj_platforms": wdzj.OPERATING_FILE,
        "wdzj_metrics": wdzj.METRICS_FILE,
        "wdzj_events": wdzj.EVENTS_FILE,
    }
    for source_id, name in files.items():
        (summary,) = ingest(settings, [source_id], file=view.folder / name, progress=progress)
        done[source_id] = {
            "read": summary.rows_read,
            "loaded": summary.rows_loaded,
            "rejected": summary.rows_rejected,
        }
    return done


def _predictions(
    settings: Settings, view: wdzj.AsOfView, scratch: Path, progress: Progress
) -> dict[str, Any]:
    """Train platform-risk as of the view's date, score the operating platforms, store them."""
    from smokewatch.score.ml.platform import task as platform_task  # noqa: PLC0415

    model_dir = scratch / "model"
    engine_url = settings.engine.url if str(settings.engine.url).startswith("spark") else None
    report = train_platform_risk(
        view.folder, model_dir, as_of=view.as_of, engine_url=engine_url, progress=progress
    )
    with scratch_engine(engine_url) as model_engine:
        predicted = platform_task.predict(
            model_engine, model_dir, view.folder, as_of=view.as_of, top=TOP_REASONS
        )
    scored = predicted.scored.to_arrow("zh")
    # Only what raises the risk explains a risk score; the model's own list keeps both signs.
    reasons = [
        [r.text("zh") for r in row if r.contribution > 0] for row in predicted.scored.reasons
    ]
    version = hashlib.sha256((model_dir / "model.txt").read_bytes()).hexdigest()[:12]
    with open_engine(settings) as engine:
        platforms = engine.to_arrow(engine.table("platform").select("id", "name"), step="ids")
        by_name: dict[str, str] = {}
        for pid, name in zip(
            platforms.column("id").to_pylist(), platforms.column("name").to_pylist(), strict=True
        ):
            by_name.setdefault(name, pid)
        rows: dict[str, list[Any]] = {k: [] for k in PREDICTION_SCHEMA.names}
        names = scored.column(KEY_COLUMN).to_pylist()
        probabilities = predicted.scored.score.tolist()
        for name, probability, why in zip(names, probabilities, reasons, strict=True):
            subject = by_name.get(name)
            if subject is None:
                continue
            key = f"{MODEL_TASK}|{version}|platform|{subject}|{view.as_of.isoformat()}"
            rows["id"].append("mp-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:40])
            rows["model"].append(MODEL_TASK)
            rows["version"].append(version)
            rows["subject_table"].append("platform")
            rows["subject_id"].append(subject)
            rows["probability"].append(round(float(probability), 4))
            rows["reasons"].append(json.dumps(why, ensure_ascii=False))
            rows["as_of"].append(view.as_of)
        engine.replace_tables({PREDICTION_TABLE: pa.table(rows, schema=PREDICTION_SCHEMA)})
    return {
        "version": version,
        "out_of_time": report.metrics.get("out_of_time", {}),
        "threshold": report.threshold,
        "scored": len(rows["id"]),
    }


PREDICTION_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("model", pa.string()),
        ("version", pa.string()),
        ("subject_table", pa.string()),
        ("subject_id", pa.string()),
        ("probability", pa.float64()),
        ("reasons", pa.string()),
        ("as_of", pa.date32()),
    ]
)
"""The engine table ``model_prediction`` the scorecards read (see ``score.gather``)."""


def _top_reasons(contributions: list[dict[str, Any]], lang: str) -> str:
    lines = [c for c in contributions if c.get("kind") == "component" and c["points"] > 0]
    lines.sort(key=lambda c: (-c["points"], c.get("component") or ""))
    key = "reason_zh" if lang == "zh" else "reason_en"
    return REASON_SEPARATOR.join(c[key] for c in lines[:TOP_REASONS])


def _stored_scores(settings: Settings, as_of: date) -> dict[str, Any]:
    found: dict[str, Any] = {}
    with open_store(settings) as store, store.unit_of_work() as session:
        offset = 0
        while True:
            page, total = scoring.list_scores(
                session, scorecard_id=SCORECARD, as_of=as_of, limit=MAX_PAGE, offset=offset
            )
            for row in page:
                found[row.subject_id] = (row.score, row.grade, row.dimensions, row.contributions)
            offset += len(page)
            if not page or offset >= total:
                break
    return found


def _rows(settings: Settings, as_of: date, dimensions: list[str], lang: str) -> list[list[Any]]:
    with open_engine(settings) as engine:
        platforms = engine.to_arrow(engine.table("platform").select("id", "name"), step="ids")
    scores = _stored_scores(settings, as_of)
    rows = []
    for pid, name in zip(
        platforms.column("id").to_pylist(), platforms.column("name").to_pylist(), strict=True
    ):
        value, grade, dims, contributions = scores.get(pid, (0.0, "none", {}, []))
        rows.append(
            [
                name,
                round(float(value), 2),
                grade,
                *(round(float(dims.get(d, 0.0)), 2) for d in dimensions),
                _top_reasons(contributions, lang),
            ]
        )
    rows.sort(key=lambda r: (-r[1], r[0]))
    return rows


def _write_atomically(out: Path, header: list[str], rows: list[list[Any]]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - renamed below, not a context
        "w", encoding="utf-8", newline="", dir=out.parent, prefix=f".{out.name}.", delete=False
    )
    try:
        with handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for row in rows:
                writer.writerow([f"{v:.2f}" if isinstance(v, float) else v for v in row])
        os.replace(handle.name, out)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def p2p_wdzj(
    data: Path,
    out: Path,
    *,
    as_of: date,
    engine_url: str | None = None,
    lang: str = "zh",
    profiles_date: date = wdzj.SNAPSHOT_DATE,
    keep_workspace: Path | None = None,
    progress: Progress = NO_PROGRESS,
) -> BacktestSummary:
    """Score the platforms of a 网贷之家 folder operating on ``as_of`` (see the module).

    ``profiles_date`` is when the folder's profiles were taken (July 2017 for the published
    crawl); their snapshot fields count only for an as-of date close to it.

    Raises:
        NotFound: the data folder or one of its files does not exist.
        InvalidInput: a bad option, a file without the columns needed, or no platform
            operating on the date.
    """
    started = time.perf_counter()
    if lang not in {"zh", "en"}:
        raise InvalidInput(f"--lang must be zh or en, not {lang!r}")
    if not data.is_dir():
        raise NotFound(f"no such data folder: {data}")
    if out.exists() and out.is_dir():
        raise InvalidInput(f"--out {out} is a folder; give a file name")
    card = load_scorecards()[SCORECARD].spec
    rule_ids = sorted(
        {c.rule for c in card.components if c.rule} | {q.rule for q in card.qualifiers}
    )
    dimensions = [d.id for d in card.dimensions]
    with tempfile.TemporaryDirectory(prefix="sw-backtest-") as scratch_dir:
        scratch = Path(scratch_dir)
        progress.start(f"as-of view on {as_of}")
        view = wdzj.write_as_of_view(data, scratch / "data", as_of, snapshot=profiles_date)
        progress.finish()
        if view.operating == 0:
            raise InvalidInput(f"no platform of {data} was operating on {as_of}")
        with _workspace_root(keep_workspace) as root:
            init_workspace(root / "ws", title=f"backtest p2p-wdzj {as_of}", as_of=as_of)
            settings = _settings(root / "ws", engine_url)
            ingested = _ingest_view(settings, view, progress)
            model = _predictions(settings, view, scratch, progress)
            detect(settings, rule_ids=rule_ids, as_of=as_of, progress=progress)
            score(settings, scorecard_ids=[SCORECARD], as_of=as_of, progress=progress)
            rows = _rows(settings, as_of, dimensions, lang)
    header = [KEY_COLUMN, "smoke_index", "grade", *dimensions, "top_reasons"]
    progress.start("writing the scores")
    _write_atomically(out, header, rows)
    progress.finish()
    by_grade: dict[str, int] = {}
    for row in rows:
        by_grade[row[2]] = by_grade.get(row[2], 0) + 1
    notes = list(view.notes)
    rejected = sum(v["rejected"] for v in ingested.values())
    if rejected:
        notes.append(f"{rejected} rows were rejected at ingest (kept in the temporary workspace)")
    return BacktestSummary(
        dataset="p2p-wdzj",
        as_of=as_of,
        out=out,
        rows=len(rows),
        scorecard=f"{card.id}@{card.version}",
        by_grade=dict(sorted(by_grade.items())),
        columns=tuple(header),
        view=view,
        ingested=ingested,
        model=model,
        notes=tuple(notes),
        seconds=round(time.perf_counter() - started, 1),
    )


__all__ = ["PREDICTION_SCHEMA", "SCORECARD", "BacktestSummary", "p2p_wdzj"]
