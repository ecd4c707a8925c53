"""The original ``base_info`` and ``change_info`` files, used whenever the data folder has them.

Every public copy of the CCF BDCI 2020 data lacks ``train/base_info.csv`` and
``train/change_info.csv``; the model then reads the registry columns from the two
``derived_partial`` tables (the *derived_partial* input variant, the shipped metrics). When
either file is put under ``train/``, training and prediction use it automatically:

- ``base_info.csv`` (33 columns, one row per enterprise, 24,865 rows: the labelled and the
  evaluation ids) replaces both derived tables: the registry columns come from it, so every
  id of the file can be scored, and it adds the business-scope text (``opscope``), the
  address (``dom``), the exact dates (``opfrom``, ``opto``) and a few more columns;
- ``change_info.csv`` (``id, bgxmdm, bgq, bgh, bgrq``; 45,940 rows) adds the registry's
  change history.

Which files were present is the model's :class:`Variant`; it decides the feature list, is
written to the manifest and the model card, and a model is only loaded against data of the
same variant. Both files are read as UTF-8 or GBK/GB18030 with CRLF or LF line ends; rows that
do not convert are rejected with their row number and reason (see :mod:`..checked_csv`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ibis

from smokewatch.ml.artefact import file_sha256
from smokewatch.score.ml.checked_csv import CheckedTable, ColumnType, Reject, read_checked_csv
from smokewatch.score.ml.enterprise.scope import SCOPE_SCHEMA, scope_signals

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from smokewatch.engine.base import Engine

T, N, D = ColumnType.TEXT, ColumnType.NUMBER, ColumnType.DATE

BASE_INFO_PATH = "train/base_info.csv"
CHANGE_INFO_PATH = "train/change_info.csv"
BASE_INFO_COLUMNS: dict[str, ColumnType] = {
    "id": T,  # enterprise id (anonymised, 48 hex characters)
    "oplocdistrict": N,  # district code of the place of operation
    "industryphy": T,  # industry section letter (GB/T 4754-2017, A–T)
    "industryco": N,  # industry class code (four digits)
    "dom": T,  # registered address (住所), anonymised hash
    "opscope": T,  # business scope text (经营范围), plain Chinese
    "enttype": N,  # enterprise type code
    "enttypeitem": N,  # enterprise type group code
    "opfrom": D,  # start of the operating term (date established)
    "opto": D,  # end of the operating term (empty: open-ended)
    "state": N,  # registry status code
    "orgid": T,  # registration authority code
    "jobid": T,  # officer (经办人) code
    "adbusign": N,  # sign: approved business (审批)
    "townsign": N,  # sign: located in a township
    "regtype": N,  # registration type code
    "empnum": N,  # employees at registration
    "compform": N,  # composition form code
    "parnum": N,  # partners (partnerships)
    "exenum": N,  # executive partners
    "opform": T,  # form of business (individual businesses)
    "ptbusscope": T,  # part-time / additional business scope
    "venind": N,  # venture / size indicator
    "enttypeminu": N,  # enterprise type minor code
    "midpreindcode": N,  # medium industry code used by the registry
    "protype": N,  # project type code
    "oploc": T,  # place of operation, anonymised hash
    "regcap": N,  # registered capital, 万元
    "reccap": N,  # paid-in capital, 万元
    "forreccap": N,  # paid-in capital in foreign currency
    "forregcap": N,  # registered capital in foreign currency
    "congro": N,  # total investment, 万元
    "enttypegb": N,  # enterprise type, national standard code
}
"""The 33 columns of ``base_info.csv`` as released (types as this model reads them)."""

CHANGE_INFO_COLUMNS: dict[str, ColumnType] = {
    "id": T,  # enterprise id
    "bgxmdm": N,  # change item code (变更项目代码)
    "bgq": T,  # value before the change (anonymised)
    "bgh": T,  # value after the change (anonymised)
    "bgrq": D,  # date of the change, e.g. 20190122150214.0 (yyyymmddhhmmss)
}
"""The five columns of ``change_info.csv`` (several rows per enterprise)."""

REFERENCE_DATE = "2020-10-13"
"""Ages and recency are measured at the data's release date (the organiser's file listing),
never at the day the model runs, so the same data always gives the same features."""

FINANCE_SECTIONS = ("J", "K", "L")
"""Finance, real estate, leasing and business services: where the risky enterprises are."""


@dataclass(frozen=True, slots=True)
class Variant:
    """Which optional original files a model reads (its feature list depends on it)."""

    base_info: bool = False
    change_info: bool = False

    @property
    def name(self) -> str:
        """``derived_partial``, ``base_info``, ``change_info`` or ``base_info+change_info``."""
        parts = (("base_info", self.base_info), ("change_info", self.change_info))
        return "+".join(n for n, on in parts if on) or "derived_partial"

    @classmethod
    def from_name(cls, name: str) -> Variant:
        """The variant called ``name`` (unknown parts are ignored)."""
        parts = set(name.split("+"))
        return cls("base_info" in parts, "change_info" in parts)

    def describe(self) -> str:
        """One line for the user and the model card."""
        if not (self.base_info or self.change_info):
            return (
                "derived_partial: base_info.csv and change_info.csv are absent; registry "
                "columns come from derived_partial/ (labelled enterprises only)"
            )
        files = ((BASE_INFO_PATH, self.base_info), (CHANGE_INFO_PATH, self.change_info))
        used = [path for path, on in files if on]
        return f"{self.name}: using {' and '.join(used)}"


DERIVED = Variant()
"""The variant of every public copy of the data (and of the shipped metrics)."""


def detect_variant(folder: Path) -> Variant:
    """The variant a data folder supports: which optional files are present."""
    return Variant((folder / BASE_INFO_PATH).is_file(), (folder / CHANGE_INFO_PATH).is_file())


@dataclass(slots=True)
class OptionalInputs:
    """The optional files read into an engine, with what was read and rejected."""

    views: dict[str, ir.Table] = field(default_factory=dict)
    files: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


REJECTS_SHOWN = 5


def _record(folder: Path, path: str, checked: CheckedTable) -> dict[str, Any]:
    full = folder / path
    return {
        "file": path,
        "sha256": file_sha256(full),
        "rows": checked.table.num_rows,
        "bytes": full.stat().st_size,
        "encoding": checked.encoding,
        "rejected": len(checked.rejects),
        "rejects": [r.to_json() for r in checked.rejects[:REJECTS_SHOWN]],
    }


def _note(path: str, checked: CheckedTable) -> list[str]:
    notes = [
        (
            f"{path} found: {checked.table.num_rows} rows used ({checked.encoding}), "
            f"{len(checked.rejects)} rejected"
        )
    ]
    notes.extend(_reject_line(path, r) for r in checked.rejects[:REJECTS_SHOWN])
    if len(checked.rejects) > REJECTS_SHOWN:
        notes.append(f"{path}: {len(checked.rejects) - REJECTS_SHOWN} more rejects not shown")
    return notes


def _reject_line(path: str, reject: Reject) -> str:
    return f"{path} row {reject.row} rejected: {reject.reason}"


def read_optional(engine: Engine, folder: Path, variant: Variant) -> OptionalInputs:
    """Read the optional files of ``variant`` into ``engine`` (views ``base_info``, ``change``)."""
    out = OptionalInputs()
    if variant.base_info:
        checked = read_checked_csv(folder / BASE_INFO_PATH, BASE_INFO_COLUMNS)
        out.views["base_info"] = engine.register("base_info", checked.table)
        out.files.append(_record(folder, BASE_INFO_PATH, checked))
        out.notes.extend(_note(BASE_INFO_PATH, checked))
    if variant.change_info:
        checked = read_checked_csv(folder / CHANGE_INFO_PATH, CHANGE_INFO_COLUMNS, key=None)
        out.views["change_info"] = engine.register("change_info", checked.table)
        out.files.append(_record(folder, CHANGE_INFO_PATH, checked))
        out.notes.extend(_note(CHANGE_INFO_PATH, checked))
    return out


def _int(column: ir.NumericValue) -> ir.IntegerValue:
    return column.cast("int64")


def registry_from_base_info(engine: Engine, base: ir.Table) -> ir.Table:
    """The ``registry`` view built from ``base_info``: the derived table's columns and more.

    Same columns and types as ``fea.csv`` (so every registry feature reads the same thing),
    plus ``dom``, ``opfrom``, ``opto_date``, ``midpreindcode``, ``protype``, ``forregcap``,
    the address cluster counts and the scope signals computed by the text module.
    """
    scopes = engine.map_batches(
        base.select("id", "opscope"), scope_signals, SCOPE_SCHEMA, name="base_info_scope"
    )
    scopes = scopes.rename(sid="id")
    finance = base.industryphy.isin(FINANCE_SECTIONS).cast("int64")
    dom = (
        base.filter(base.dom.notnull())
        .mutate(finance=finance)
        .group_by(d_dom=base.dom)
        .aggregate(dom_enterprises=ibis._.count(), dom_finance=ibis._.finance.sum())
    )
    registry = base.select(
        "id",
        oplocdistrict=_int(base.oplocdistrict),
        industryphy=base.industryphy,
        industryco=base.industryco,
        enttype=_int(base.enttype),
        enttypeitem=base.enttypeitem,
        opto=base.opto.cast("string"),
        state=_int(base.state),
        adbusign=_int(base.adbusign),
        townsign=_int(base.townsign),
        regtype=_int(base.regtype),
        empnum=base.empnum,
        compform=base.compform,
        opform=base.opform,
        venind=base.venind,
        enttypeminu=base.enttypeminu,
        oploc=base.oploc,
        regcap=base.regcap,
        reccap=base.reccap,
        enttypegb=_int(base.enttypegb),
        year=base.opfrom.year().cast("int64"),
        month=base.opfrom.month().cast("int64"),
        dom=base.dom,
        opfrom=base.opfrom,
        opto_date=base.opto,
        midpreindcode=base.midpreindcode,
        protype=base.protype,
        forregcap=base.forregcap,
        ptbusscope_chars=base.ptbusscope.length().cast("int64"),
    )
    joined = registry.left_join(scopes, registry.id == scopes.sid)
    joined = joined.left_join(dom, joined.dom == dom.d_dom)
    return joined.drop("sid", "d_dom")


def extra_from_base_info(base: ir.Table, changes: ir.Table | None) -> ir.Table:
    """The ``registry_extra`` view from ``base_info`` (and the change count, when known)."""
    extra = base.select("id", parnum=base.parnum, exenum=base.exenum, congro=base.congro)
    if changes is None:
        return extra.mutate(bgsum=ibis.null().cast("float64"))
    counts = changes.group_by(cid=changes.id).aggregate(bgsum=changes.count().cast("float64"))
    joined = extra.left_join(counts, extra.id == counts.cid)
    return joined.select("id", "parnum", "exenum", "congro", bgsum=joined.bgsum.fill_null(0.0))


def change_view(changes: ir.Table, kinds: dict[int, str]) -> ir.Table:
    """``change``: one row per change with its item code, kind and age at the reference date."""
    code = changes.bgxmdm.cast("int64")
    kind = ibis.cases(*[(code == c, k) for c, k in kinds.items()], else_="other")
    reference = ibis.date(REFERENCE_DATE)
    return changes.select(
        "id",
        code=code,
        kind=kind,
        changed_on=changes.bgrq,
        years_ago=(reference.epoch_days() - changes.bgrq.epoch_days()).cast("float64") / 365.25,
    )


__all__ = [
    "BASE_INFO_COLUMNS",
    "BASE_INFO_PATH",
    "CHANGE_INFO_COLUMNS",
    "CHANGE_INFO_PATH",
    "DERIVED",
    "FINANCE_SECTIONS",
    "REFERENCE_DATE",
    "OptionalInputs",
    "Variant",
    "change_view",
    "detect_variant",
    "extra_from_base_info",
    "read_optional",
    "registry_from_base_info",
]
