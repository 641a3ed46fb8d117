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
from villagecat.sync import dump_yaml

WORDS = "村民委员会 协助 证明 开展 宣传 教育 组织 管理 服务 调解 纠纷 治安 卫生 养老 救助 登记 统计 土地 农业 防疫 消防 禁毒 献血 档案".split()


def make_repo(root: Path, counties: int, items: int, seed: int = 7) -> int:
    """Write a synthetic repository; returns the number of items."""
    rng = random.Random(seed)
    here = Path(__file__).resolve().parents[2]
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


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="villagecat benchmarks")
    p.add_argument("--counties", type=int, default=300)
    p.add_argument("--items", type=int, default=90, help="items per list (two lists per county)")
    p.add_argument("--out", default="bench/report.md")
    args = p.parse_args(argv)

    from villagecat.reader import read_catalogue
    from villagecat.sync import sync
    from villagecat.validate import check_catalogue

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        total, t_make = timed(lambda: make_repo(root, args.counties, args.items))
        _, t_sync = timed(lambda: sync(root))
        cat, t_read = timed(lambda: read_catalogue(str(root)))
        report, t_validate = timed(lambda: check_catalogue(cat, root))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = [
        "# villagecat 基准测试 / benchmark report", "",
        f"- 机器 / machine: {platform.machine()}, Python {platform.python_version()}",
        f"- 合成目录 / synthetic catalogue: {args.counties} 个县 × 2 份清单 × {args.items} 条 = {total} 条事项",
        "", "| 步骤 / step | 秒 / seconds |", "| --- | ---: |",
        f"| 生成 / generate | {t_make:.1f} |", f"| sync | {t_sync:.1f} |",
        f"| 读取 / read | {t_read:.1f} |", f"| 校验 / validate (all layers) | {t_validate:.1f} |",
        "", f"- 校验结果 / result: {'valid' if report.valid else 'invalid'}, {len(report.problems)} problems",
        f"- 峰值内存 / peak RSS: {peak:.0f} MiB", "",
    ]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
