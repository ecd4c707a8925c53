"""Planted transfers as the Arrow table the transfer-graph functions read."""

from __future__ import annotations

import pyarrow as pa

Row = tuple[int, str, str, int, float]
"""``(tran_id, payer, payee, day, amount)``."""


def transfer_table(rows: list[Row]) -> pa.Table:
    """``tran_id, orig, bene, day, amount`` columns, typed as the graph layer expects."""
    ids, orig, bene, day, amount = zip(*rows, strict=True)
    return pa.table(
        {
            "tran_id": pa.array(ids, pa.int64()),
            "orig": pa.array(orig, pa.string()),
            "bene": pa.array(bene, pa.string()),
            "day": pa.array(day, pa.int32()),
            "amount": pa.array(amount, pa.float64()),
        }
    )
