"""``make bench-patrol``: patrol a synthetic site on loopback and report pages per second.

``--sites`` threaded HTTP servers on 127.0.0.1, 127.0.0.2, … (different hosts to the
patrol's politeness) serve ``--pages`` HTML pages between them (~8 KB each, every third one in
GBK with a ``<meta charset>``, page i linking to pages 5i+1…5i+5) plus a robots.txt each.
One ``smokewatch patrol run`` in a temporary workspace crawls them with ``--workers`` sites at
a time and ``--interval`` seconds between two requests to one host (default 0; a real patrol
waits ≥ 1 s per host), fixing every page as evidence (raw bytes, headers, text, hash-chained
manifest) and loading the documents. Reported: pages/s of crawl + fixation, seconds of the
whole run (with the document ingest), and the evidence size. Results go to
``<out>/results.json``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FILLER = "本公司提供稳健理财服务，年化收益8%，详情请咨询客服。" * 60


def page(i: int, pages: int) -> tuple[bytes, str]:
    children = [c for c in range(i * 5 + 1, i * 5 + 6) if c < pages]  # a tree: depth ~log5
    links = "".join(f'<a href="/p/{c}">第{c}页</a>' for c in children)
    gbk = i % 3 == 0
    charset = "gbk" if gbk else "utf-8"
    doc = (
        f'<html><head><meta charset="{charset}"><title>产品{i}</title></head>'
        f"<body><h1>产品{i}</h1><p>{FILLER}</p>{links}</body></html>"
    )
    return doc.encode(charset), "text/html" if gbk else "text/html; charset=utf-8"


def serve(pages: int, host: str) -> tuple[ThreadingHTTPServer, threading.Thread]:
    bodies = {f"/p/{i}": page(i, pages) for i in range(pages)}
    bodies["/robots.txt"] = (b"User-agent: *\nDisallow: /admin/\n", "text/plain")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body, kind = bodies.get(self.path, (b"not found", "text/plain"))
            self.send_response(200 if self.path in bodies else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return None

    server = ThreadingHTTPServer((host, 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    return server, thread


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--sites", type=int, default=4, help="sites (hosts) sharing the pages")
    parser.add_argument("--workers", type=int, default=4, help="sites crawled at the same time")
    parser.add_argument("--interval", type=float, default=0.0, help="seconds between requests")
    parser.add_argument("--out", type=Path, default=Path("bench-out/patrol"))
    args = parser.parse_args()

    from smokewatch.services.patrol import run_patrol
    from smokewatch.services.workspace import init_workspace
    from smokewatch.settings import load_settings

    per_site = args.pages // args.sites
    servers = [serve(per_site, f"127.0.0.{i + 1}") for i in range(args.sites)]
    try:
        with tempfile.TemporaryDirectory(prefix="sw-bench-patrol-") as tmp:
            root = Path(tmp) / "ws"
            init_workspace(root)
            (root / "patrol").mkdir()
            sites = [
                {
                    "name": f"bench{i}",
                    "seeds": [f"http://127.0.0.{i + 1}:{server.server_address[1]}/p/0"],
                    "max_depth": 10,
                    "max_pages": per_site,
                    "min_interval_s": args.interval,
                }
                for i, (server, _) in enumerate(servers)
            ]
            spec = {
                "id": "bench",
                "title": "benchmark",
                "sites": sites,
                "fetch": {"workers": args.workers},
            }
            (root / "patrol" / "bench.yml").write_text(json.dumps(spec), encoding="utf-8")
            started = time.perf_counter()
            summary = run_patrol(load_settings(root), "bench")
            total = time.perf_counter() - started
            evidence = sum(p.stat().st_size for p in (root / "evidence").rglob("*") if p.is_file())
    finally:
        for server, thread in servers:
            server.shutdown()
            server.server_close()
            thread.join()
    results = {
        "sites": args.sites,
        "workers": args.workers,
        "interval_s": args.interval,
        "pages": summary.pages,
        "pages_ok": summary.pages_ok,
        "crawl_and_fixation_s": round(summary.seconds, 2),
        "pages_per_s": round(summary.pages_per_s, 1),
        "run_with_document_ingest_s": round(total, 2),
        "documents_loaded": summary.documents_loaded,
        "evidence_bytes": evidence,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
