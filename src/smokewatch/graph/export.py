"""Writing a subgraph as GEXF 1.3, GraphML, or JSON for the web UI (ECharts graph series).

Node ids keep their kind prefix (``e:``, ``p:``, ``phone:``, ``addr:``, ``email:``, ``icp:``);
the kind is also an attribute (``kind``) so Gephi and yEd can colour by it. Edge attributes:
``kind``, ``weight`` (the share for ``owns``), ``label``. XML is written with the standard
library's escaping.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any
from xml.sax.saxutils import escape, quoteattr

FORMATS = ("gexf", "graphml", "json")


def node_kind(node: str) -> str:
    """``enterprise``, ``person``, ``phone``, ``address``, ``email`` or ``icp`` from the prefix."""
    prefix = node.split(":", 1)[0]
    kinds = {
        "e": "enterprise",
        "p": "person",
        "phone": "phone",
        "addr": "address",
        "email": "email",
        "icp": "icp",
    }
    return kinds.get(prefix, "other")


def _label(node: str, labels: Mapping[str, str]) -> str:
    return labels.get(node) or node.split(":", 1)[-1]


def to_gexf(
    nodes: Iterable[str], edges: Iterable[Mapping[str, Any]], labels: Mapping[str, str]
) -> str:
    """A GEXF 1.3 document."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<gexf xmlns="http://gexf.net/1.3" version="1.3">',
        '<graph defaultedgetype="directed">',
        '<attributes class="node"><attribute id="kind" title="kind" type="string"/></attributes>',
        '<attributes class="edge"><attribute id="kind" title="kind" type="string"/></attributes>',
        "<nodes>",
    ]
    for node in nodes:
        lines.append(
            f"<node id={quoteattr(node)} label={quoteattr(_label(node, labels))}>"
            f'<attvalues><attvalue for="kind" value={quoteattr(node_kind(node))}/></attvalues>'
            "</node>"
        )
    lines.append("</nodes><edges>")
    for i, edge in enumerate(edges):
        lines.append(
            f'<edge id="{i}" source={quoteattr(edge["src"])} target={quoteattr(edge["dst"])} '
            f'weight="{float(edge.get("weight") or 1.0)}" label={quoteattr(edge["kind"])}>'
            f'<attvalues><attvalue for="kind" value={quoteattr(edge["kind"])}/></attvalues>'
            "</edge>"
        )
    lines.append("</edges></graph></gexf>")
    return "\n".join(lines) + "\n"


def to_graphml(
    nodes: Iterable[str], edges: Iterable[Mapping[str, Any]], labels: Mapping[str, str]
) -> str:
    """A GraphML document."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
        '<key id="label" for="node" attr.name="label" attr.type="string"/>',
        '<key id="nkind" for="node" attr.name="kind" attr.type="string"/>',
        '<key id="ekind" for="edge" attr.name="kind" attr.type="string"/>',
        '<key id="weight" for="edge" attr.name="weight" attr.type="double"/>',
        '<graph edgedefault="directed">',
    ]
    for node in nodes:
        lines.append(
            f"<node id={quoteattr(node)}>"
            f'<data key="label">{escape(_label(node, labels))}</data>'
            f'<data key="nkind">{node_kind(node)}</data></node>'
        )
    for edge in edges:
        lines.append(
            f"<edge source={quoteattr(edge['src'])} target={quoteattr(edge['dst'])}>"
            f'<data key="ekind">{escape(edge["kind"])}</data>'
            f'<data key="weight">{float(edge.get("weight") or 1.0)}</data></edge>'
        )
    lines.append("</graph></graphml>")
    return "\n".join(lines) + "\n"


def to_json(
    nodes: Iterable[str], edges: Iterable[Mapping[str, Any]], labels: Mapping[str, str]
) -> str:
    """``{"nodes": [{id, name, category}], "links": [{source, target, kind, value}]}``."""
    data = {
        "nodes": [{"id": n, "name": _label(n, labels), "category": node_kind(n)} for n in nodes],
        "links": [
            {
                "source": e["src"],
                "target": e["dst"],
                "kind": e["kind"],
                "value": float(e.get("weight") or 1.0),
            }
            for e in edges
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


WRITERS = {"gexf": to_gexf, "graphml": to_graphml, "json": to_json}

__all__ = ["FORMATS", "WRITERS", "node_kind", "to_gexf", "to_graphml", "to_json"]
