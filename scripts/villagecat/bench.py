"""Benchmarks on a synthetic national catalogue (:mod:`villagecat.synthetic`); writes ``bench/report.md``.

    make bench                 # the national size (≈ 500k items)
    make bench SIZE=50000      # python -m villagecat.bench --items 50000

Speed goals live here, never in timed test assertions. Every step runs in a child process: its
wall time and its peak resident memory (``os.wait4``'s rusage, which covers the child's own
children too, taken by the small wrapper :mod:`villagecat.peak` so that the step does not inherit
this process's high-water mark) are recorded. validate and diff are compared with plain baselines
measured in the same run: the csv module reading the same files and checking the same
constraints, and two dicts compared. The site is built at the full size, then one province alone as a shard, then again
after one county changed (the incremental rebuild). Memory is reported twice: the largest single
process (``wait4``) and, sampled every half second, the proportional set size of all the step's
processes together (worker processes share the catalogue's pages).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from pathlib import Path

from villagecat import git, peak
from villagecat.trees import package_repo

HERE = package_repo()
GIB = 1024 ** 3
MEMORY_BUDGET = 4 * GIB


def run_step(argv: list[str], timeout: float, cwd: Path | None = None, stdout=None) -> dict:
    """Run ``argv`` as a child: wall seconds, peak RSS (bytes, the child and its descendants), exit status."""
    fd, report = tempfile.mkstemp(prefix="vc-peak-")
    os.close(fd)
    t0 = time.perf_counter()
    proc = subprocess.Popen(peak.wrap(report, argv), cwd=cwd, stdout=stdout or subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    timed_out = threading.Event()

    def kill():
        timed_out.set()
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    timer = threading.Timer(timeout, kill)
    timer.start()
    done = threading.Event()
    total = [0]

    def sample():  # the step's processes together (worker processes share pages: PSS counts them once)
        while not done.wait(0.5):
            total[0] = max(total[0], session_pss(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    err = proc.stderr.read()
    proc.wait()
    done.set()
    sampler.join()
    timer.cancel()
    wall = time.perf_counter() - t0
    rss = peak.read(report)
    os.unlink(report)
    return {"seconds": wall, "peak": rss, "total": total[0], "status": proc.returncode,
            "timed_out": timed_out.is_set(), "stderr": err.decode("utf-8", "replace")[-2000:]}


def session_pss(sid: int) -> int:
    """Bytes of proportional set size (shared pages divided among their sharers) of every process
    in session ``sid`` (a step and all its children); 0 where /proc does not say."""
    found = 0
    for entry in os.scandir("/proc") if os.path.isdir("/proc") else ():
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            if int(fields[3]) != sid:  # after "pid (comm)": state, ppid, pgrp, session
                continue
            with open(f"/proc/{entry.name}/smaps_rollup", "rb") as fh:
                for line in fh:
                    if line.startswith(b"Pss:"):
                        found += int(line.split()[1]) * 1024
                        break
        except (OSError, ValueError, IndexError):
            continue
    return found


def villagecat(*args: str) -> list[str]:
    return [sys.executable, "-m", "villagecat", *args]


def helper(*args: str) -> list[str]:
    return [sys.executable, "-m", "villagecat.bench", "step", *args]


# ---------------------------------------------------------------------------------------------
# Plain baselines and the stock validator, each run as a child step.

def _packages(root: Path):
    from villagecat.decode import load_yaml_quick

    for path in sorted((root / "catalogues").glob("*/catalogue.yaml")):
        yield path, load_yaml_quick(str(path), path.read_text(encoding="utf-8"))


def plain_validate(root: Path) -> int:
    """The csv module over every CSV the packages declare, with the same constraints checked by hand."""
    problems = 0
    for path, pkg in _packages(root):
        for res in pkg["resources"]:
            fields = res["schema"]["fields"]
            checks = []
            for f in fields:
                c = f.get("constraints", {})
                checks.append((f.get("type") == "integer", c.get("required", False),
                               re.compile(c["pattern"]) if "pattern" in c else None, set(c["enum"]) if "enum" in c else None,
                               c.get("minLength"), c.get("maxLength"), c.get("minimum"), c.get("unique", False)))
            seen = [set() for _ in fields]
            with open(path.parent / res["path"], encoding="utf-8", newline="") as fh:
                reader = csv.reader(fh)
                header = next(reader)
                problems += header != [f["name"] for f in fields]
                for row in reader:
                    if len(row) != len(fields):
                        problems += 1
                        continue
                    for i, (is_int, req, pat, enum, lo, hi, minimum, unique) in enumerate(checks):
                        v = row[i]
                        if not v:
                            problems += req
                            continue
                        if is_int:
                            if not v.isascii() or not v.lstrip("-").isdigit():
                                problems += 1
                                continue
                            if minimum is not None and int(v) < minimum:
                                problems += 1
                        if pat is not None and not pat.fullmatch(v):
                            problems += 1
                        if enum is not None and v not in enum:
                            problems += 1
                        if lo is not None and len(v) < lo or hi is not None and len(v) > hi:
                            problems += 1
                        if unique:
                            problems += v in seen[i]
                            seen[i].add(v)
    return problems


def _items(root: Path) -> dict[str, dict]:
    out = {}
    for path in sorted((root / "catalogues").glob("*/*.csv")):
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                out[row["id"]] = row
    return out


def plain_diff(old: Path, new: Path) -> dict:
    """Every item of both versions into a dict by id, then the two dicts compared."""
    a, b = _items(old), _items(new)
    return {"added": len(b.keys() - a.keys()), "removed": len(a.keys() - b.keys()),
            "changed": sum(1 for k in a.keys() & b.keys() if a[k] != b[k])}


def stock_frictionless(root: Path, every: int = 1) -> int:
    """Stock ``frictionless validate`` (its Python API, one process) over every package (or every
    ``every``-th: its time is per package, so the whole is that many times the sample)."""
    from frictionless import validate

    errors = 0
    for path in sorted((root / "catalogues").glob("*/catalogue.yaml"))[::every]:
        report = validate(str(path))
        errors += sum(len(t.errors) for t in report.tasks) + len(report.errors)
    return errors


# ---------------------------------------------------------------------------------------------
# Search: the site's own index for the synthetic catalogue plus a bare search page (no mkdocs).

# Words and phrases of the real items' text (the synthetic text is drawn from it): a common word,
# names, a two-word AND, a quoted phrase.
SEARCH_QUERIES = ("证明", "村民委员会", "人民调解", "养老 服务", '"居住证明"', "土地承包")
HARNESS = """<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>搜索</title>
<link rel="preload" href="../searchindex/meta.json" as="fetch" crossorigin></head><body>
<form id="vc-search" role="search" data-site-root="../" hidden>
<input id="vc-search-q" name="q" type="search"><button type="submit">搜索</button>
<details id="vc-filters"><select name="region"><option value=""></option></select>
<select name="kind"><option value=""></option></select><select name="level"><option value=""></option></select></details>
</form><p id="vc-search-status"></p><ol id="vc-search-results"></ol><button id="vc-search-more" hidden></button>
<div id="vc-search-fallback"></div><script src="../assets/search.js"></script></body></html>"""
# Chrome DevTools' "Fast 3G" preset: 562.5 ms latency, 1.44 Mbit/s down, 675 kbit/s up.
FAST_3G = {"offline": False, "latency": 562.5, "downloadThroughput": 1.6 * 1024 * 1024 / 8 * 0.9,
           "uploadThroughput": 750 * 1024 / 8 * 0.9}


def search_index(root: Path, out: Path) -> dict:
    from villagecat.reader import read_catalogue
    from villagecat.site.pages import Site
    from villagecat.site.textindex import write_index

    (out / "search").mkdir(parents=True, exist_ok=True)
    (out / "assets").mkdir(exist_ok=True)
    shutil.copy(HERE / "site_config" / "assets" / "search.js", out / "assets" / "search.js")
    (out / "search" / "index.html").write_text(HARNESS, encoding="utf-8")
    cat = read_catalogue(str(root))
    site = Site(cat, root, "bench", "https://villagecat.example/")
    return write_index(site, out)


# Bytes and requests of the index fetched between two instants (ms since navigation), and the rounds:
# a request that starts after an earlier one of its round has ended begins the next round.
_FETCHED = """([since, until]) => {
  const es = performance.getEntriesByType('resource').filter(e => e.startTime >= since && e.responseEnd <= until)
    .sort((a, b) => a.startTime - b.startTime);
  let rounds = 0, end = -1;
  const out = {all: 0, index: 0, requests: 0, rounds: 0};
  for (const e of es) {
    out.all += e.encodedBodySize;
    if (e.name.includes('/searchindex/')) { out.index += e.encodedBodySize; out.requests += 1; }
    if (e.startTime >= end) { rounds += 1; end = e.responseEnd; } else { end = Math.min(end, e.responseEnd); }
  }
  out.rounds = rounds;
  return out;
}"""
_RUN = """async (q) => { const t0 = performance.now();
  document.getElementById('vc-search-q').value = q; await window.vcSearch.run();
  const r = window.vcSearch.renders.filter(x => x.q === q && x.ms >= t0)[0];
  return {t0: t0, first: r ? r.ms : performance.now(), stage: r ? r.stage : 'none'}; }"""
_QUIET = "() => window.vcSearch.quiet()"


def _query(pg, q: str) -> dict:
    """Type ``q`` into the page's search: ms to the first results, then to quiet (settled, nothing in flight)."""
    r = pg.evaluate(_RUN, q)
    pg.wait_for_function(_QUIET, timeout=120_000, polling=20)
    settled = pg.evaluate("() => window.vcSearch.renders.filter(x => x.q === %s).slice(-1)[0].ms" % json.dumps(q))
    until = pg.evaluate("() => performance.now()")
    first = pg.evaluate(_FETCHED, [r["t0"], r["first"] + 1])
    total = pg.evaluate(_FETCHED, [r["t0"], until])
    return {"ms": r["first"] - r["t0"], "stage": r["stage"], "settled_ms": settled - r["t0"],
            "first_index": first["index"], "first_requests": first["requests"], "first_rounds": first["rounds"],
            "index": total["index"], "requests": total["requests"], "status": pg.inner_text("#vc-search-status")}


def measure_search(out: Path, queries=SEARCH_QUERIES, throttle: dict | None = None) -> list[dict]:
    """Each query cold and then warm, in headless Chromium (``throttle``: CDP network conditions).

    cold: a new browser context (empty cache) opens the search page; when it is ready (search.js
    run, meta.json here: "page ready", ms since navigation) the query is typed: ms to the first
    results, to settled (nothing left that could change them), bytes, requests and rounds of the
    index fetched. warm: when the page is quiet (after the idle prefetch of p.json), the next query
    in the same page. nav: another new context opens the page with ?q=: ms from navigation to the
    first results, and every byte fetched by then (page, search.js, index)."""
    import urllib.parse

    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(HERE / "tests"))
    from browser_support import CHROMIUM, CHROMIUM_ARGS, serve_folder

    httpd, url = serve_folder(out)
    rows = []

    def context(browser):
        ctx = browser.new_context()
        pg = ctx.new_page()
        if throttle:
            cdp = ctx.new_cdp_session(pg)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", throttle)
        return ctx, pg

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for n, q in enumerate(queries):
                ctx, pg = context(browser)
                pg.goto(url + "search/")
                pg.wait_for_function("() => window.vcSearch && window.vcSearch.readyMs", timeout=120_000, polling=20)
                ready = pg.evaluate("() => window.vcSearch.readyMs")
                page = pg.evaluate(_FETCHED, [0, ready + 1])
                cold = _query(pg, q)
                warm_q = queries[(n + 1) % len(queries)]
                warm = _query(pg, warm_q)
                ctx.close()
                ctx, pg = context(browser)
                pg.goto(url + "search/?q=" + urllib.parse.quote(q))
                pg.wait_for_function("() => window.vcSearch && window.vcSearch.renders && window.vcSearch.renders.length",
                                     timeout=120_000, polling=20)
                nav_ms = pg.evaluate("() => window.vcSearch.renders[0].ms")
                nav = pg.evaluate(_FETCHED, [0, nav_ms + 1])
                ctx.close()
                rows.append({"query": q, "page_ms": ready, "page_bytes": page["all"], "page_rounds": page["rounds"],
                             "cold_ms": cold["ms"], "cold_stage": cold["stage"], "cold_settled_ms": cold["settled_ms"],
                             "cold_first_index": cold["first_index"], "cold_first_requests": cold["first_requests"],
                             "cold_first_rounds": cold["first_rounds"], "cold_index": cold["index"],
                             "cold_requests": cold["requests"], "cold_all": page["all"] + cold["index"],
                             "status": cold["status"], "warm_query": warm_q, "warm_ms": warm["ms"],
                             "warm_stage": warm["stage"], "warm_settled_ms": warm["settled_ms"],
                             "warm_index": warm["index"], "warm_requests": warm["requests"],
                             "nav_ms": nav_ms, "nav_all": nav["all"], "nav_rounds": nav["rounds"]})
            browser.close()
    finally:
        httpd.shutdown()
    return rows


def step(argv: list[str]) -> int:
    """``python -m villagecat.bench step NAME ARGS…``: one measured step, run as a child process."""
    name, args = argv[0], argv[1:]
    if name == "plain-validate":
        print(json.dumps({"problems": plain_validate(Path(args[0]))}))
    elif name == "plain-diff":
        print(json.dumps(plain_diff(Path(args[0]), Path(args[1]))))
    elif name == "frictionless":
        print(json.dumps({"errors": stock_frictionless(Path(args[0]), int(args[1]) if len(args) > 1 else 1)}))
    elif name == "search-index":
        print(json.dumps(search_index(Path(args[0]), Path(args[1]))))
    elif name == "search-browser":
        rows = {"unthrottled": measure_search(Path(args[0])), "fast-3g": measure_search(Path(args[0]), throttle=FAST_3G)}
        print(json.dumps(rows, ensure_ascii=False))
    else:
        raise SystemExit(f"unknown step {name}")
    return 0


# ---------------------------------------------------------------------------------------------
# The run and its report.

def _du(path: Path) -> int:
    """Bytes of the files under ``path`` (their sizes, not disk blocks); ``os.walk``, as
    ``Path.rglob`` takes minutes over half a million files."""
    return sum(os.lstat(os.path.join(d, f)).st_size for d, _, files in os.walk(path) for f in files)


def _pages(path: Path) -> int:
    return sum(1 for _, _, files in os.walk(path) if "index.html" in files)


def _json_out(res: dict) -> dict:
    try:
        return json.loads(res.get("stdout") or "{}")
    except ValueError:
        return {}


def measure(argv, timeout, cwd=None, capture: Path | None = None) -> dict:
    if capture is None:
        capture = Path(tempfile.mkstemp(prefix="vc-bench-")[1])
    with open(capture, "wb") as fh:
        res = run_step(argv, timeout, cwd=cwd, stdout=fh)
    res["stdout"] = capture.read_text(encoding="utf-8", errors="replace")
    capture.unlink()
    res["argv"] = " ".join(a if a != sys.executable else "python" for a in argv)
    return res


def items_of(root: Path, province: str = "") -> int:
    """Items of the catalogue at ``root`` (of one province's counties when ``province`` is given)."""
    return sum(sum(1 for _ in open(p, encoding="utf-8")) - 1
               for p in root.glob(f"catalogues/{province}*/*.csv") if p.parent.name[:1].isdigit())


def largest_province(root: Path) -> str:
    counts: dict[str, int] = {}
    for folder in (root / "catalogues").iterdir():
        if folder.is_dir() and folder.name[:2].isdigit():
            counts[folder.name[:2]] = counts.get(folder.name[:2], 0) + 1
    return max(sorted(counts), key=lambda k: counts[k])


def run(args) -> dict:
    work = Path(args.work or tempfile.mkdtemp(prefix="vc-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    root = work / "national"
    R: dict = {"items": args.items, "work": str(work), "steps": {}, "builds": []}
    steps = R["steps"]
    T = args.timeout

    def log(name):
        r = steps[name]
        print(f"[bench] {name}: {r['seconds']:.1f} s, {r['peak'] / 2**20:.0f} MiB, status {r['status']}"
              + (" (timed out)" if r["timed_out"] else ""), file=sys.stderr, flush=True)

    if root.exists():
        shutil.rmtree(root)
    steps["generate"] = measure([sys.executable, "-m", "villagecat.synthetic", str(root), "--items", str(args.items),
                                 "--seed", str(args.seed)], T)
    log("generate")
    R["catalogue"] = _json_out(steps["generate"])
    if not args.no_validate:
        steps["validate"] = measure(villagecat("validate", str(root), "--format", "json"), T)
        log("validate")
        every = max(1, args.items // 100_000)
        fr = steps["validate (stock frictionless)"] = measure(helper("frictionless", str(root), str(every)), T)
        if every > 1:  # a sample of the packages, scaled: stock frictionless takes ≈ 30 ms a resource
            fr["sampled"] = every
            fr["seconds"] *= every
        log("validate (stock frictionless)")
        steps["validate (plain csv baseline)"] = measure(helper("plain-validate", str(root)), T)
        log("validate (plain csv baseline)")
    old = work / "year1"
    shutil.rmtree(old, ignore_errors=True)
    old.mkdir()
    with tarfile.open(fileobj=io.BytesIO(git.run(root, "archive", "year1", "catalogues", binary=True))) as tar:
        tar.extractall(old, filter="data")  # last year's folders, for the plain dict baseline
    steps["diff"] = measure(villagecat("diff", "year1", "year2", "--repo", str(root)), T)
    log("diff")
    steps["diff (plain dict baseline)"] = measure(helper("plain-diff", str(old), str(root)), T)
    log("diff (plain dict baseline)")
    dist = work / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    steps["export"] = measure(villagecat("export", "--repo", str(root), "--ref", "year2", "--out", str(dist),
                                         "--version", "bench"), T)
    steps["export"]["bytes"] = _du(dist)
    log("export")
    if not args.no_search:
        search = work / "search-site"
        shutil.rmtree(search, ignore_errors=True)
        steps["search index"] = measure(helper("search-index", str(root), str(search)), T)
        steps["search index"]["bytes"] = _du(search / "searchindex")
        log("search index")
        if not args.no_browser:
            steps["search (Chromium)"] = measure(helper("search-browser", str(search)), T)
            log("search (Chromium)")
    if not args.no_build:
        # The whole site at the full size, from the next year's working tree, into a new folder.
        site = work / "site"
        shutil.rmtree(site, ignore_errors=True)
        shutil.rmtree(work / ".site.villagecat-build", ignore_errors=True)
        build = [*villagecat("build", "--catalogue", str(root), "--out", str(site))]
        b = measure(build, args.build_timeout, cwd=HERE)
        b.update(bytes=_du(site), pages=_pages(site), items=items_of(root))
        R["builds"].append(b)
        print(f"[bench] build {b['items']} items: {b['seconds']:.1f} s, {b['peak'] / 2**20:.0f} MiB", file=sys.stderr)
        # One province as a shard (the largest), as a CI matrix job would build it.
        code = largest_province(root)
        shard = work / f"shard-{code}"
        shutil.rmtree(shard, ignore_errors=True)
        sh = measure(villagecat("build", "--catalogue", str(root), "--out", str(shard), "--province", code),
                     args.build_timeout, cwd=HERE)
        sh.update(bytes=_du(shard), province=code, items=items_of(root, code))
        R["shard"] = sh
        from villagecat import synthetic

        county = synthetic.touch_county(root, args.items, args.seed)  # one item of one county reworded
        rb = measure(build, args.build_timeout, cwd=HERE)
        rb.update(items=b["items"], county=county)
        R["rebuild"] = rb
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return R


def _total(r: dict) -> str:
    return f"all its processes together {_mib(r['total'])} PSS" if r.get("total") else "PSS not sampled"


def _mib(b: float) -> str:
    return f"{b / 2**20:,.0f} MiB" if b < GIB else f"{b / GIB:.2f} GiB"


def _verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("达到 / met" if ok else "未达到 / missed")


def report(R: dict, elapsed: float) -> str:
    S = R["steps"]
    cat = R.get("catalogue", {})
    items = cat.get("items_year2", R["items"])
    L = ["# villagecat 基准测试 / benchmark report", "",
         f"- 机器 / machine: {platform.machine()}, {os.cpu_count()} 核 / cores, Python {platform.python_version()}; "
         "与其他任务共用，秒数会波动，比值更可靠 / shared with other jobs: seconds vary, ratios are steadier",
         f"- 合成目录 / synthetic catalogue (`villagecat.synthetic`, seed {R.get('seed', 7)}): {items:,} 条事项 / items, "
         f"{cat.get('counties', '?')} 个县 / counties in {cat.get('provinces', '?')} 个省 / provinces, "
         f"{cat.get('prefectures', '?')} 个地级 / prefectures; 8 种清单 / list kinds per county",
         f"- 第二年 / next year (git tag year2): {cat.get('changed', '?')} 条改写 / changed, {cat.get('added', '?')} 条新增 / added, "
         f"{cat.get('removed', '?')} 条删除 / removed (withdrawn.csv), {cat.get('renumbered', '?')} 条改序号 / renumbered, "
         f"集中在 {cat.get('revised_counties', '?')} 个县 / in revised counties",
         f"- 总用时 / whole run: {elapsed / 60:.1f} min", "",
         "## 各步骤 / steps", "",
         "每步在子进程中运行；峰值内存为该子进程及其子进程中最大的常驻内存；建站另报所有进程合计的 PSS（共享页按份额计）。"
         " / Each step runs in a child process; peak is the largest resident set of it and its children; builds also "
         "give the PSS of all their processes together (shared pages divided among their sharers).", "",
         "| 步骤 / step | 秒 / s | 峰值内存 / peak | 状态 / exit | 说明 / note |", "| --- | ---: | ---: | ---: | --- |"]
    for name, r in S.items():
        note = ""
        if "bytes" in r:
            note = f"{r['bytes'] / 1e6:,.1f} MB written"
        if r.get("sampled"):
            note = (f"1 package in {r['sampled']} validated; seconds × {r['sampled']} (its time is per package) "
                    f"/ 每 {r['sampled']} 个数据包取 1 个，秒数乘以 {r['sampled']}")
        if r["timed_out"]:
            note += " timed out"
        L.append(f"| {name} | {r['seconds']:.1f} | {_mib(r['peak'])} | {r['status']} | {note} |")
    for b in R.get("builds", []):
        L.append(f"| build ({b['items']:,} items) | {b['seconds']:.1f} | {_mib(b['peak'])} | {b['status']} | "
                 f"{b['pages']:,} pages, {b['bytes'] / 1e6:,.0f} MB; {_total(b)}{' timed out' if b['timed_out'] else ''} |")
    if R.get("shard"):
        sh = R["shard"]
        L.append(f"| build of one province as a shard (`--province {sh['province']}`, {sh['items']:,} items) | "
                 f"{sh['seconds']:.1f} | {_mib(sh['peak'])} | {sh['status']} | {sh['bytes'] / 1e6:,.0f} MB; {_total(sh)} |")
    if R.get("rebuild"):
        rb = R["rebuild"]
        L.append(f"| rebuild after county {rb['county']} changed ({rb['items']:,} items) | {rb['seconds']:.1f} | "
                 f"{_mib(rb['peak'])} | {rb['status']} | {_total(rb)} |")
    L.append("")

    # Targets of issue 14.
    T = []
    v, fr, pv = S.get("validate"), S.get("validate (stock frictionless)"), S.get("validate (plain csv baseline)")
    if v and fr and pv:
        speed, ratio = fr["seconds"] / v["seconds"], v["seconds"] / pv["seconds"]
        T.append(("validate ≥ 2× faster than stock frictionless", f"{speed:.2f}× ({v['seconds']:.1f} s vs {fr['seconds']:.1f} s)", speed >= 2))
        T.append(("validate ≤ 3× the plain csv baseline", f"{ratio:.2f}× ({pv['seconds']:.1f} s baseline)", ratio <= 3))
    d, pd = S.get("diff"), S.get("diff (plain dict baseline)")
    if d:
        T.append(("diff of the two versions ≤ 5 s", f"{d['seconds']:.1f} s"
                  + (f" ({d['seconds'] / pd['seconds']:.2f}× the dict baseline's {pd['seconds']:.1f} s)" if pd else ""),
                  d["seconds"] <= 5 and d["status"] == 0))
    e = S.get("export")
    if e:
        T.append(("export ≤ 2 min", f"{e['seconds']:.1f} s", e["seconds"] <= 120 and e["status"] == 0))
    builds = R.get("builds", [])
    if builds:
        b = builds[-1]
        ok = b["status"] == 0
        T.append(("full site build ≤ 10 min", f"{b['seconds'] / 60:.1f} min at {b['items']:,} items", ok and b["seconds"] <= 600))
        T.append(("full site build ≤ 4 GiB", f"{_mib(b['peak'])} largest process; {_total(b)}",
                  ok and b["peak"] <= MEMORY_BUDGET and b.get("total", 0) <= MEMORY_BUDGET))
        T.append(("site size a static host accepts (≪ 10 GB)", f"{b['bytes'] / 1e9:.1f} GB in {b['pages']:,} pages",
                  ok and b["bytes"] < 5e9))
    rb = R.get("rebuild")
    if rb:
        T.append(("rebuild after one county changes ≤ 30 s", f"{rb['seconds']:.1f} s at {rb['items']:,} items",
                  rb["status"] == 0 and rb["seconds"] <= 30))
    sb = _json_out(S["search (Chromium)"]) if "search (Chromium)" in S else {}
    for profile, rows in sb.items():
        if rows:
            cb, cm, wm = max(r["cold_all"] for r in rows), max(r["cold_ms"] for r in rows), max(r["warm_ms"] for r in rows)
            T.append((f"cold search ≤ 300 KB ({profile})", f"{cb / 1e3:.0f} KB max", cb <= 300_000))
            T.append((f"cold search results ≤ 1 s ({profile})", f"{cm:.0f} ms max from the query typed in the ready page "
                      f"(page ready {max(r['page_ms'] for r in rows):.0f} ms max; opened with ?q=: "
                      f"{max(r['nav_ms'] for r in rows):.0f} ms max from navigation)", cm <= 1000))
            T.append((f"warm search ≤ 300 ms ({profile})", f"{wm:.0f} ms max", wm <= 300))
    everything = list(S.values()) + builds + ([rb] if rb else []) + ([R["shard"]] if R.get("shard") else [])
    worst = max((max(r["peak"], r.get("total", 0)) for r in everything), default=0)
    T.append(("every step ≤ 4 GiB peak (measured steps)", _mib(worst), worst <= MEMORY_BUDGET))
    L += ["## 目标 / targets (issue 14)", "", "| 目标 / target | 结果 / result | 判定 / verdict |", "| --- | --- | --- |"]
    L += [f"| {a} | {b} | {_verdict(c)} |" for a, b, c in T]
    L.append("")
    for profile, rows in sb.items():
        L += [f"## 搜索 / search ({profile})", "",
              "冷查询：新的浏览器上下文（空缓存）打开搜索页，页面就绪（search.js 已运行、meta.json 已到）后输入查询，"
              "到首批结果显示（不含页面加载）；“稳定”为不再改变首屏的时刻；字节为该查询取的全部索引（含稳定前的后台请求），"
              "“全部”另加页面与 search.js（基准页没有主题）。热查询：页面空闲后（含空闲时预取的 p.json）在同一页面查下一个词。"
              "带 ?q= 打开：从导航开始到首批结果。 / cold: new context (empty cache) opens the search page; once it is "
              "ready the query is typed; ms to the first results (page load excluded) and to settled; bytes: every "
              "index byte of the query (background ones included); all adds the page and search.js (no theme). warm: "
              "the next query in the same page once it is quiet (after the idle prefetch of p.json). ?q=: from "
              "navigation to the first results.", "",
              "| 查询 / query | 页面就绪 ms (轮) | 冷 首批 ms | 来源 | 首批前 索引字节 / 请求 / 轮 | 冷 稳定 ms | 冷 索引字节 (请求) "
              "| 冷 全部字节 | 热查询 | 热 首批 ms | 来源 | 热 稳定 ms | 热 索引字节 | ?q= ms (全部字节) | 状态 / status |",
              "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | --- | ---: | --- | ---: | ---: | ---: | --- |"]
        for r in rows:
            L.append(f"| {r['query']} | {r['page_ms']:.0f} ({r['page_rounds']}) | {r['cold_ms']:.0f} | {r['cold_stage']} "
                     f"| {r['cold_first_index']:,} / {r['cold_first_requests']} / {r['cold_first_rounds']} "
                     f"| {r['cold_settled_ms']:.0f} | {r['cold_index']:,} ({r['cold_requests']}) | {r['cold_all']:,} "
                     f"| {r['warm_query']} | {r['warm_ms']:.0f} | {r['warm_stage']} | {r['warm_settled_ms']:.0f} "
                     f"| {r['warm_index']:,} | {r['nav_ms']:.0f} ({r['nav_all']:,}) | {r['status'].replace('|', '/')} |")
        L.append("")
    failed = [n for n, r in S.items() if r["status"] != 0] + [f"build {b['items']}" for b in builds if b["status"] != 0]
    if rb and rb["status"] != 0:
        failed.append("rebuild")
    if R.get("shard") and R["shard"]["status"] != 0:
        failed.append("shard")
    if failed:
        L += ["## 失败的步骤 / failed steps", ""]
        for n in failed:
            r = S.get(n) or next((b for b in builds if f"build {b['items']}" == n), R["shard"] if n == "shard" else rb)
            L += [f"- {n}: exit {r['status']}{' (timed out)' if r['timed_out'] else ''}: `{r['stderr'][-300:].strip()}`"]
        L.append("")
    L += ["## 命令 / commands", ""] + [f"- {n}: `{r['argv']}`" for n, r in S.items()] + [""]
    return "\n".join(L)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "step":
        return step(argv[1:])
    from villagecat.synthetic import NATIONAL_ITEMS

    p = argparse.ArgumentParser(description="villagecat benchmarks on a synthetic national catalogue")
    p.add_argument("--items", type=int, default=NATIONAL_ITEMS, help="catalogue size (default: national, 500000)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--out", default="bench/report.md")
    p.add_argument("--work", help="working folder (default: a new temporary folder)")
    p.add_argument("--keep", action="store_true", help="keep the working folder")
    p.add_argument("--timeout", type=float, default=1800, help="seconds a step may take")
    p.add_argument("--build-timeout", type=float, default=1800, help="seconds a site build may take")
    p.add_argument("--no-validate", action="store_true")
    p.add_argument("--no-search", action="store_true")
    p.add_argument("--no-browser", action="store_true", help="index, but no Chromium figures")
    p.add_argument("--no-build", action="store_true")
    args = p.parse_args(argv)
    t0 = time.perf_counter()
    R = run(args)
    R["seed"] = args.seed
    text = report(R, time.perf_counter() - t0)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
