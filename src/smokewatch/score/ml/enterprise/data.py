"""The CCF BDCI 2020 enterprise data as engine views (read from the folder the user gives).

The folder keeps the competition's layout. ``base_info`` and ``change_info`` are missing from
every public copy; their columns then come from the two ``derived_partial`` tables that cover
the 14,865 enterprises of the labelled split (labels held back by the maintainers included,
unlabelled). When the original files are put under ``train/`` they are used instead
(:mod:`.full_inputs`): ``registry`` and ``registry_extra`` are then built from ``base_info``,
and ``change`` holds the change history.
Auxiliary tables (annual reports, tax, news, other) cover every enterprise.

Views handed to the features:

- ``enterprise`` — one row per *subject* (the enterprises being trained on or scored):
  the registry columns, ``-1`` placeholders turned into nulls, and the number of enterprises
  in the registry that share the subject's operating address;
- ``annual_report``, ``tax``, ``news``, ``other_info`` — the auxiliary tables as read.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from smokewatch.progress import NO_PROGRESS, Progress
from smokewatch.score.ml.enterprise.changes import CHANGE_KINDS, CHANGE_VIEW
from smokewatch.score.ml.enterprise.full_inputs import (
    change_view,
    detect_variant,
    extra_from_base_info,
    read_optional,
    registry_from_base_info,
)
from smokewatch.score.ml.inputs import InputFile, LoadedInputs, read_inputs

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from smokewatch.engine.base import Engine

DATASET = "ccf2020"
DERIVED = "derived_partial/Explore16_datafountain_ccf"
F64, I64, STR = pa.float64(), pa.int64(), pa.string()

LABELS = InputFile(
    "entprise_info",
    "train/entprise_info.csv",
    {"id": STR, "label": I64},
    "labels: 1 = illegal-fundraising risk, 0 = not (the labelled 80 % split)",
)
REGISTRY = InputFile(
    "registry",
    f"{DERIVED}/fea.csv",
    {
        "id": STR,
        "oplocdistrict": I64,
        "industryphy": STR,
        "industryco": F64,
        "enttype": I64,
        "enttypeitem": F64,
        "opto": STR,
        "state": I64,
        "adbusign": I64,
        "townsign": I64,
        "regtype": I64,
        "empnum": F64,
        "compform": F64,
        "opform": STR,
        "venind": F64,
        "enttypeminu": F64,
        "oploc": STR,
        "regcap": F64,
        "reccap": F64,
        "enttypegb": I64,
        "year": I64,
        "month": I64,
    },
    "registry columns of base_info (derived table; 14,865 enterprises, no labels)",
)
REGISTRY_EXTRA = InputFile(
    "registry_extra",
    f"{DERIVED}/fea_1106.csv",
    {"id": STR, "parnum": F64, "exenum": F64, "congro": F64, "bgsum": F64},
    "partners, executive partners, total investment, number of registry changes (derived)",
)
ANNUAL_REPORT = InputFile(
    "annual_report",
    "train/annual_report_info.csv",
    {
        "id": STR,
        "ANCHEYEAR": F64,
        "EMPNUM": F64,
        "BUSSTNAME": STR,
        "COLGRANUM": F64,
        "UNEEMPLNUM": F64,
        "WEBSITSIGN": F64,
        "FORINVESTSIGN": F64,
        "STOCKTRANSIGN": F64,
    },
    "annual reports (企业年报), one row per enterprise and year",
)
TAX = InputFile(
    "tax",
    "train/tax_info.csv",
    {
        "id": STR,
        "END_DATE": STR,
        "TAX_CATEGORIES": STR,
        "TAXATION_BASIS": F64,
        "TAX_AMOUNT": F64,
    },
    "tax declarations, one row per enterprise, period and tax item",
)
NEWS = InputFile(
    "news",
    "train/news_info.csv",
    {"id": STR, "positive_negtive": STR, "public_date": STR},
    "news items about the enterprise with their tone (积极/中立/消极)",
)
OTHER_INFO = InputFile(
    "other_info",
    "train/other_info.csv",
    {"id": STR, "legal_judgment_num": F64, "brand_num": F64, "patent_num": F64},
    "counts of court judgments, trademarks and patents",
)
TRAINING_FILES = (LABELS, REGISTRY, REGISTRY_EXTRA, ANNUAL_REPORT, TAX, NEWS, OTHER_INFO)
FEATURE_FILES = TRAINING_FILES[1:]


def load(
    engine: Engine,
    folder: Path,
    *,
    labels: bool,
    progress: Progress = NO_PROGRESS,
) -> LoadedInputs:
    """Read the data folder into ``engine`` (with the labels file only when ``labels``).

    When ``train/base_info.csv`` is present it replaces the two derived tables (they are not
    read), and ``train/change_info.csv`` adds the view ``change``; see :mod:`.full_inputs`.
    """
    variant = detect_variant(folder)
    files: tuple[InputFile, ...] = TRAINING_FILES if labels else FEATURE_FILES
    if variant.base_info:
        files = tuple(f for f in files if f not in (REGISTRY, REGISTRY_EXTRA))
    loaded = read_inputs(engine, folder, files, dataset=DATASET, progress=progress)
    if not (variant.base_info or variant.change_info):
        return loaded
    optional = read_optional(engine, folder, variant)
    views = {**loaded.views, **optional.views}
    changes = views.get("change_info")
    if changes is not None:
        views[CHANGE_VIEW] = change_view(changes, CHANGE_KINDS)
    if variant.base_info:
        base = views["base_info"]
        views[REGISTRY.view] = registry_from_base_info(engine, base)
        views[REGISTRY_EXTRA.view] = extra_from_base_info(base, changes)
    return LoadedInputs(views, [*loaded.files, *optional.files], optional.notes)


def _placeholder_null(column: ir.NumericValue) -> ir.NumericValue:
    """The derived table writes −1 for "not recorded"; make it null."""
    return column.nullif(-1)


def enterprise_view(views: dict[str, ir.Table], subjects: ir.Table) -> ir.Table:
    """One row per subject id (``subjects`` has a column ``id``), registry columns joined.

    Subjects absent from the registry keep their row with empty registry columns, so they
    are still scored (from their other records) and show as such in the reasons.
    """
    registry = views[REGISTRY.view]
    extra = views[REGISTRY_EXTRA.view]
    extra = extra.select(
        eid=extra.id,
        parnum=_placeholder_null(extra.parnum),
        exenum=_placeholder_null(extra.exenum),
        congro=_placeholder_null(extra.congro),
        bgsum=_placeholder_null(extra.bgsum),
    )
    address = registry.group_by(addr=registry.oploc).aggregate(address_enterprises=registry.count())
    registry = registry.rename(rid="id")
    wanted = subjects.select(id=subjects.id).distinct()
    joined = wanted.left_join(registry, wanted.id == registry.rid)
    joined = joined.left_join(extra, joined.id == extra.eid)
    joined = joined.left_join(address, joined.oploc == address.addr)
    return joined.drop("rid", "eid", "addr")


def views_for(loaded: LoadedInputs, subjects: ir.Table) -> dict[str, ir.Table]:
    """The feature views for these subjects."""
    views = dict(loaded.views)
    views["enterprise"] = enterprise_view(views, subjects)
    return views


__all__ = [
    "ANNUAL_REPORT",
    "DATASET",
    "FEATURE_FILES",
    "LABELS",
    "NEWS",
    "OTHER_INFO",
    "REGISTRY",
    "REGISTRY_EXTRA",
    "TAX",
    "TRAINING_FILES",
    "enterprise_view",
    "load",
    "views_for",
]
