"""Benchmarks on a synthetic national-scale catalogue; writes a Markdown report (``make bench``).

Speed goals live here, never in timed test assertions. The synthetic repository has one folder
per county with duties and assistance lists of Chinese text, generated deterministically, and
one transcription per county under ``sources/`` holding that text (so validate's verbatim check
runs at scale).

    python -m villagecat.bench --counties 2800 --items 90 --out bench/report.md
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import platform
import random
import resource
import shutil
import tempfile
import time
from pathlib import Path

import yaml

from villagecat.schemas import field_names
from villagecat.trees import package_repo
from villagecat.sync import dump_yaml

WORDS = "村民委员会 协助 证明 开展 宣传 教育 组织 管理 服务 调解 纠纷 治安 卫生 养老 救助 登记 统计 土地 农业 防疫 消防 禁毒 献血 档案".split()


def make_repo(root: Path, counties: int, items: int, seed: int = 7) -> int:
    """Write a synthetic repository; returns the number of items."""
    rng = random.Random(seed)
    here = package_repo()
    shutil.copytree(here / "schemas", root / "schemas")
    cat = root / "catalogues"
    cat.mkdir()
    shutil.copy(here / "catalogues" / "laws.csv", cat / "laws.csv")
    (root / "sources").mkdir()
    regions = [["adcode", "name", "level", "parent", "note"], ["000000", "全国", "national", "", ""]]
    total = 0
    for n in range(counties):
        province = f"{11 + n // 100:02d}0000"
        if [province, f"省{province}", "province", "000000", ""] not in regions:
            regions.append([province, f"省{province}", "province", "000000", ""])
        adcode = f"{province[:2]}{n % 100:02d}01"
        regions.append([adcode, f"县{adcode}", "county", province, ""])
        folder = cat / f"{adcode}-x{adcode}"
        folder.mkdir()
        resources = []
        texts: list[str] = []
        for kind, letter in (("duties", "D"), ("assistance", "A")):
            names = field_names(root, kind)
            with open(folder / f"{kind}.csv", "w", encoding="utf-8", newline="") as fh:
                w = csv.writer(fh, lineterminator="\n")
                w.writerow(names)
                for i in range(1, items + 1):
                    text = "".join(rng.choice(WORDS) for _ in range(rng.randint(6, 30))) + "。"
                    row = {"id": f"{adcode}-{letter}-{i:03d}", "seq": str(i), "text": text, "source": "doc"}
                    w.writerow([row.get(name, "") for name in names])
                    texts.append(f"{i}. {text}")
                    total += 1
            resources.append({"name": kind, "path": f"{kind}.csv", "title": kind, "profile": "tabular-data-resource",
                              "encoding": "utf-8", "format": "csv", "x-kind": kind, "x-source": "doc",
                              "x-completeness": {"status": "complete", "reported_total": items, "missing": ""}})
        body = "\n".join(texts).encode("utf-8") + b"\n"
        source = (b"---\ntitle: \xe5\x90\x88\xe6\x88\x90\xe6\x96\x87\xe4\xbb\xb6\nbody_sha256: "
                  + hashlib.sha256(body).hexdigest().encode() + b"\n---\n" + body)
        (root / "sources" / f"{adcode}.md").write_bytes(source)
        pkg = {"name": folder.name, "title": f"县{adcode}", "region": adcode,
               "licenses": [{"name": "CC-BY-4.0"}],
               "sources": [{"key": "doc", "title": "合成文件", "issuer": "", "number": "", "date": "2026", "kind": "official-text",
                            "file": f"sources/{adcode}.md", "sha256": hashlib.sha256(source).hexdigest()}],
               "resources": resources}
        (folder / "catalogue.yaml").write_text(dump_yaml(pkg), encoding="utf-8")
    with open(cat / "regions.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(sorted(regions, key=lambda r: r[0] if r[0] != "adcode" else ""))
    return total


# Search queries on the synthetic text (its words, a phrase of two, two words ANDed, a quoted phrase).
SEARCH_QUERIES = ("证明", "村民委员会", "调解纠纷", "养老服务", "禁毒 档案", '"消防档案"')
HARNESS = """<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>搜索</title></head><body>
<form id="vc-search" role="search" data-site-root="../" hidden>
<input id="vc-search-q" name="q" type="search"><button type="submit">搜索</button>
<details id="vc-filters"><select name="region"><option value=""></option></select>
<select name="kind"><option value=""></option></select><select name="level"><option value=""></option></select></details>
</form><p id="vc-search-status"></p><ol id="vc-search-results"></ol><button id="vc-search-more" hidden></button>
<div id="vc-search-fallback"></div><script src="../assets/search.js"></script></body></html>"""


def search_site(root: Path, cat, out: Path) -> tuple[dict, float]:
    """The search index of the synthetic catalogue plus a bare search page (no theme, no mkdocs)."""
    from villagecat.site.pages import Site
    from villagecat.site.textindex import write_index

    here = package_repo()
    (out / "search").mkdir(parents=True)
    (out / "assets").mkdir()
    shutil.copy(here / "site_config" / "assets" / "search.js", out / "assets" / "search.js")
    (out / "search" / "index.html").write_text(HARNESS, encoding="utf-8")
    site = Site(cat, root, "bench", "https://villagecat.example/")
    return timed(lambda: write_index(site, out))


_BYTES = """(since) => performance.getEntriesByType('resource').filter(e => e.startTime >= since)
  .reduce((a, e) => { const idx = e.name.includes('/searchindex/');
    a.all += e.encodedBodySize; if (idx) { a.index += e.encodedBodySize; a.requests += 1; } return a; },
  {all: 0, index: 0, requests: 0})"""


def measure_search(out: Path, queries=SEARCH_QUERIES) -> list[dict]:
    """Each query cold (new browser context: empty cache, page opened with ?q=) and then warm (the
    next query typed into the same page): bytes fetched and milliseconds to the first results."""
    import urllib.parse

    from playwright.sync_api import sync_playwright

    here = package_repo()
    import sys
    sys.path.insert(0, str(here / "tests"))
    from browser_support import CHROMIUM, CHROMIUM_ARGS, serve_folder

    httpd, url = serve_folder(out)
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for n, q in enumerate(queries):
                ctx = browser.new_context()
                pg = ctx.new_page()
                pg.goto(url + "search/?q=" + urllib.parse.quote(q))
                pg.wait_for_function("() => document.getElementById('vc-search').dataset.done")
                cold_ms = pg.evaluate("() => window.vcSearch.rendered.ms")
                cold = pg.evaluate(_BYTES, 0)
                status = pg.inner_text("#vc-search-status")
                shown = pg.evaluate("() => window.vcSearch.rendered.shown")
                warm_q = queries[(n + 1) % len(queries)]
                warm = pg.evaluate("""async (q) => { const t0 = performance.now();
                    document.getElementById('vc-search-q').value = q; await window.vcSearch.run();
                    return {ms: performance.now() - t0, t0: t0}; }""", warm_q)
                warm.update(pg.evaluate(_BYTES, warm["t0"]))
                rows.append({"query": q, "cold_ms": cold_ms, "cold_index": cold["index"], "cold_all": cold["all"],
                             "cold_requests": cold["requests"], "status": status, "shown": shown,
                             "warm_query": warm_q, "warm_ms": warm["ms"], "warm_index": warm["index"]})
                ctx.close()
            browser.close()
    finally:
        httpd.shutdown()
    return rows


def search_lines(figures: dict, seconds: float, rows: list[dict]) -> list[str]:
    lines = ["## 搜索 / search", "",
             f"- 索引 / index: {figures['records']} 条记录, {figures['keys']} 个键, {figures['buckets']} 个分桶, "
             f"{figures['external']} 个独立文件, {figures['packs']} 个记录包; 共 {figures['bytes'] / 1e6:.1f} MB; "
             f"建索引 {seconds:.1f} s",
             "- 冷查询：新的浏览器上下文（空缓存），以 ?q= 打开搜索页，到首批结果显示；热查询：同一页面内再查下一个词。"
             "“索引字节”只计 searchindex/ 下的文件；“全部”另含页面与 search.js（基准页没有主题）。",
             "  / cold: fresh context, page opened with ?q=, until the first results show; warm: the next query in the "
             "same page. Index bytes count searchindex/ only; all adds the page and search.js (the bench page has no theme).",
             "", "| 查询 / query | 冷 ms | 冷 索引字节 | 冷 全部字节 | 请求 | 热查询 | 热 ms | 热 索引字节 | 状态 / status |",
             "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |"]
    for r in rows:
        lines.append(f"| {r['query']} | {r['cold_ms']:.0f} | {r['cold_index']:,} | {r['cold_all']:,} | {r['cold_requests']} "
                     f"| {r['warm_query']} | {r['warm_ms']:.0f} | {r['warm_index']:,} | {r['status']} |")
    lines.append("")
    return lines


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="villagecat benchmarks")
    p.add_argument("--counties", type=int, default=300)
    p.add_argument("--items", type=int, default=90, help="items per list (two lists per county)")
    p.add_argument("--out", default="bench/report.md")
    p.add_argument("--no-validate", action="store_true", help="skip validation (search figures only)")
    p.add_argument("--no-search", action="store_true", help="skip the search index and the browser figures")
    args = p.parse_args(argv)

    from villagecat.reader import read_catalogue
    from villagecat.sync import sync
    from villagecat.validate import check_catalogue

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        total, t_make = timed(lambda: make_repo(root, args.counties, args.items))
        _, t_sync = timed(lambda: sync(root))
        cat, t_read = timed(lambda: read_catalogue(str(root)))
        report, t_validate = (None, 0.0) if args.no_validate else timed(lambda: check_catalogue(cat))
        search = []
        if not args.no_search:
            figures, t_index = search_site(root, cat, root / "site")
            search = search_lines(figures, t_index, measure_search(root / "site"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = [
        "# villagecat 基准测试 / benchmark report", "",
        f"- 机器 / machine: {platform.machine()}, Python {platform.python_version()}",
        f"- 合成目录 / synthetic catalogue: {args.counties} 个县 × 2 份清单 × {args.items} 条 = {total} 条事项",
        "", "| 步骤 / step | 秒 / seconds |", "| --- | ---: |",
        f"| 生成 / generate | {t_make:.1f} |", f"| sync | {t_sync:.1f} |",
        f"| 读取 / read | {t_read:.1f} |", f"| 校验 / validate (all layers) | {t_validate:.1f} |",
        "", f"- 校验结果 / result: " + (f"{'valid' if report.valid else 'invalid'}, {len(report.problems)} problems"
                                       if report else "skipped (--no-validate)"),
        f"- 峰值内存 / peak RSS: {peak:.0f} MiB", "",
    ] + search
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
