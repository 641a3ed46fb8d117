"""A synthetic national catalogue for benchmarks: deterministic, shaped like the real thing.

* **Administrative structure.** The 31 provinces (their real GB/T 2260 codes and names), each with
  about as many prefectures and county-level regions as it really has (≈ 333 and ≈ 2,850 in all).
  Prefecture and county codes are *derived by rule* in the GB/T 2260 shape (``PPCC00``,
  ``PPCCNN``) and their names are made up (``河北第3市第12县``): they are not the real list.
* **Lists.** Every county has lists of all eight kinds. Each province has a template list per
  kind; its counties copy it with small local variations (a few items reworded, dropped or
  added), as real counties copy their province's list. Item texts are drawn from the real
  catalogue's item texts of the same kind (whole texts, or phrases of them recombined), so lengths
  and repetition are realistic; other columns are copied from a real row of the same kind.
* **Sources.** Each county has one transcription ``sources/<adcode>.md`` holding every item's text,
  so validate's verbatim check runs at scale.
* **Next year** (:func:`next_year`): in a set of revised prefectures, 2 % of all items reworded,
  1 % removed (recorded in ``catalogues/withdrawn.csv``, replaced by a new item in the same place)
  and 1 % added that way, plus some items whose ``seq`` changes (two neighbours swapped).
  :func:`make_git_repo` writes the first year and the next as two git commits (tags ``year1``
  and ``year2``) with fixed dates, so the same seed gives the same commit ids.

The default size is the national one (≈ 500k items)::

    python -m villagecat.synthetic /tmp/national --items 500000
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import math
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from villagecat.model import KINDS
from villagecat.schemas import field_names, inline_schema
from villagecat.trees import package_repo

NATIONAL_ITEMS = 500_000
HERE = package_repo()

# (code, name, short name, prefecture-level regions, county-level regions): the real provinces
# with approximately their real numbers of prefectures and counties (the counts, not the lists).
PROVINCES = [
    ("11", "北京市", "北京", 1, 16), ("12", "天津市", "天津", 1, 16), ("13", "河北省", "河北", 11, 167),
    ("14", "山西省", "山西", 11, 117), ("15", "内蒙古自治区", "内蒙古", 12, 103), ("21", "辽宁省", "辽宁", 14, 100),
    ("22", "吉林省", "吉林", 9, 60), ("23", "黑龙江省", "黑龙江", 13, 121), ("31", "上海市", "上海", 1, 16),
    ("32", "江苏省", "江苏", 13, 95), ("33", "浙江省", "浙江", 11, 90), ("34", "安徽省", "安徽", 16, 104),
    ("35", "福建省", "福建", 9, 84), ("36", "江西省", "江西", 11, 100), ("37", "山东省", "山东", 16, 136),
    ("41", "河南省", "河南", 17, 157), ("42", "湖北省", "湖北", 13, 103), ("43", "湖南省", "湖南", 14, 122),
    ("44", "广东省", "广东", 21, 122), ("45", "广西壮族自治区", "广西", 14, 111), ("46", "海南省", "海南", 4, 25),
    ("50", "重庆市", "重庆", 2, 38), ("51", "四川省", "四川", 21, 183), ("52", "贵州省", "贵州", 9, 88),
    ("53", "云南省", "云南", 16, 129), ("54", "西藏自治区", "西藏", 7, 74), ("61", "陕西省", "陕西", 10, 107),
    ("62", "甘肃省", "甘肃", 14, 86), ("63", "青海省", "青海", 8, 44), ("64", "宁夏回族自治区", "宁夏", 5, 22),
    ("65", "新疆维吾尔自治区", "新疆", 14, 106),
]
# Mean items per county and kind (≈ 175 a county; 2,850 counties ≈ 500k items).
KIND_SIZES = {"duties": 55, "assistance": 45, "certificates": 25, "negative-certificates": 15,
              "signs": 10, "prohibitions": 10, "tasks": 8, "measures": 7}
PER_COUNTY = sum(KIND_SIZES.values())
FIXED = ("id", "seq", "text", "source", "note")
_PHRASE = re.compile(r"[^，。；、,;]+[，。；、,;]?")
GIT_DATES = ("2026-01-01T00:00:00+08:00", "2027-01-01T00:00:00+08:00")


@dataclass
class County:
    adcode: str
    name: str
    province: str
    prefecture: str
    lists: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def folder(self) -> str:
        return f"{self.adcode}-c{self.adcode}"


def structure() -> tuple[list[list[str]], list[tuple[str, str, str, str]]]:
    """Regions rows (national, provinces, prefectures) and every county as (adcode, name, province, prefecture).

    Counties are ordered round-robin over a province's prefectures, so taking the first k of a
    province spreads them over its prefectures.
    """
    rows = [["000000", "全国", "national", "", ""]]
    counties = []
    for code, name, short, prefs, n in PROVINCES:
        province = f"{code}0000"
        rows.append([province, name, "province", "000000", ""])
        per = [n // prefs + (1 if i < n % prefs else 0) for i in range(prefs)]
        by_pref = []
        for p in range(prefs):
            pref = f"{code}{p + 1:02d}00"
            rows.append([pref, f"{short}第{p + 1}市", "prefecture", province, "合成地区 / synthetic region"])
            by_pref.append([(f"{code}{p + 1:02d}{c + 1:02d}", f"{short}第{p + 1}市第{c + 1}县", province, pref)
                            for c in range(per[p])])
        for c in range(max(per)):
            counties += [pref[c] for pref in by_pref if c < len(pref)]
    return rows, counties


def pick_counties(items: int) -> list[tuple[str, str, str, str]]:
    """The counties of a catalogue of about ``items`` items: each province's share, largest remainder."""
    _, counties = structure()
    want = max(1, min(len(counties), math.ceil(items / PER_COUNTY)))
    by_prov: dict[str, list] = {}
    for c in counties:
        by_prov.setdefault(c[2], []).append(c)
    exact = {p: len(cs) * want / len(counties) for p, cs in by_prov.items()}
    take = {p: int(x) for p, x in exact.items()}
    for p in sorted(exact, key=lambda p: (-(exact[p] - take[p]), p))[: want - sum(take.values())]:
        take[p] += 1
    chosen = [c for p, cs in by_prov.items() for c in cs[: take[p]]]
    return sorted(chosen)


class Vocabulary:
    """The real catalogue's rows by kind: whole texts, their phrases, and the other columns."""

    def __init__(self, root: Path = HERE):
        self.rows: dict[str, list[dict]] = {k: [] for k in KINDS}
        for path in sorted((root / "catalogues").glob("*/*.csv")):
            kind = path.stem
            if kind not in KINDS:
                continue
            with open(path, encoding="utf-8", newline="") as fh:
                self.rows[kind] += [r for r in csv.DictReader(fh) if r.get("text", "").strip()]
        everything = [r for rows in self.rows.values() for r in rows]
        for kind in KINDS:  # a kind the real catalogue lacks borrows every kind's rows
            if not self.rows[kind]:
                self.rows[kind] = everything
        self.phrases = {k: sorted({p for r in rows for p in _PHRASE.findall(r["text"].replace("\n", "")) if len(p) > 2})
                        for k, rows in self.rows.items()}

    def text(self, rng: random.Random, kind: str) -> str:
        if rng.random() < 0.5:
            return rng.choice(self.rows[kind])["text"].replace("\n", "")
        phrases = self.phrases[kind]
        out = "".join(rng.choice(phrases) for _ in range(rng.choice((1, 1, 2, 2, 3, 4))))
        return out if out[-1] in "。；;，," else out + "。"

    def row(self, rng: random.Random, kind: str) -> dict:
        base = rng.choice(self.rows[kind])
        row = {k: v.replace("\n", " ") for k, v in base.items() if k not in FIXED}
        if kind == "signs":
            row["position"] = "interior-sign"  # exterior signs are bounded by the national policy
        if kind == "certificates" and not row.get("legal_basis") and not row.get("legal_basis_text"):
            row["note"] = "来源未给出依据。"
        row["text"] = self.text(rng, kind)
        return row


def _county_lists(rng: random.Random, vocab: Vocabulary, template: dict[str, list[dict]]) -> dict[str, list[dict]]:
    out = {}
    for kind, items in template.items():
        lst = []
        for row in items:
            r = rng.random()
            if r < 0.04:
                continue  # dropped locally
            row = dict(row)
            if r < 0.12:
                row["text"] = vocab.text(rng, kind)  # local wording
            lst.append(row)
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
            lst.insert(rng.randint(0, len(lst)), vocab.row(rng, kind))
        if kind == "certificates":  # two rows naming one certificate would read as a duplicate
            seen: set[str] = set()
            lst = [r for r in lst if not (r["text"] in seen or seen.add(r["text"]))]
        out[kind] = lst
    return out


def build(items: int = NATIONAL_ITEMS, seed: int = 7, vocab: Vocabulary | None = None) -> tuple[list[list[str]], list[County]]:
    """The regions rows and the counties (with their lists) of a catalogue of about ``items`` items."""
    vocab = vocab or Vocabulary()
    rows, _ = structure()
    chosen = pick_counties(items)
    keep = {c[0] for c in chosen} | {c[2] for c in chosen} | {c[3] for c in chosen} | {"000000"}
    regions = [r for r in rows if r[0] in keep] + [[c[0], c[1], "county", c[3], "合成地区 / synthetic region"] for c in chosen]
    counties: list[County] = []
    templates: dict[str, dict] = {}
    for adcode, name, province, pref in chosen:
        if province not in templates:
            prng = random.Random(f"{seed}-{province}")
            templates[province] = {k: [vocab.row(prng, k) for _ in range(max(1, round(n * prng.uniform(0.8, 1.25))))]
                                   for k, n in KIND_SIZES.items()}
        rng = random.Random(f"{seed}-{adcode}")
        counties.append(County(adcode, name, province, pref, _county_lists(rng, vocab, templates[province])))
    for c in counties:
        for kind, lst in c.lists.items():
            letter = KINDS[kind][0]
            for i, row in enumerate(lst, 1):
                row["id"], row["seq"], row["source"] = f"{c.adcode}-{letter}-{i:03d}", str(i), f"src-{c.adcode}"
    return sorted(regions, key=lambda r: r[0]), counties


def _csv_text(names: list[str], rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(names)
    for row in rows:
        w.writerow([row.get(n, "") for n in names])
    return buf.getvalue()


def _dump(data) -> str:
    return yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True,
                     sort_keys=False, width=1000, default_flow_style=False)


def write_county(root: Path, c: County, names: dict[str, list[str]], schemas: dict[str, dict]) -> None:
    folder = root / "catalogues" / c.folder
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    resources = []
    for kind, lst in c.lists.items():
        (folder / f"{kind}.csv").write_text(_csv_text(names[kind], lst), encoding="utf-8")
        lines.append(f"## {KINDS[kind][1]}")
        lines += [f"{r['seq']}. {r['text']}" for r in lst]
        resources.append({"name": kind, "path": f"{kind}.csv", "title": f"{c.name}{KINDS[kind][1]}清单",
                          "profile": "tabular-data-resource", "encoding": "utf-8", "format": "csv",
                          "x-kind": kind, "x-source": f"src-{c.adcode}",
                          "x-completeness": {"status": "complete", "reported_total": len(lst), "missing": ""},
                          "schema": schemas[kind]})
    body = ("\n".join(lines) + "\n").encode("utf-8")
    source = (f"---\ntitle: {c.name}村级组织工作事项清单（合成）\nbody_sha256: {hashlib.sha256(body).hexdigest()}\n---\n"
              .encode("utf-8") + body)
    (root / "sources" / f"{c.adcode}.md").write_bytes(source)
    pkg = {"name": c.folder, "title": f"{c.name}（合成）", "region": c.adcode,
           "licenses": [{"name": "CC-BY-4.0"}],
           "sources": [{"key": f"src-{c.adcode}", "title": f"{c.name}村级组织工作事项清单（合成）", "issuer": "",
                        "number": "", "date": "2026", "kind": "official-text", "file": f"sources/{c.adcode}.md",
                        "sha256": hashlib.sha256(source).hexdigest()}],
           "resources": resources}
    (folder / "catalogue.yaml").write_text(_dump(pkg), encoding="utf-8")


def write_repo(root: Path, regions: list[list[str]], counties: list[County], withdrawn: list[list[str]] = ()) -> int:
    """Write (or overwrite) the repository files; returns the number of items."""
    root = Path(root)
    if not (root / "schemas").exists():
        shutil.copytree(HERE / "schemas", root / "schemas")
    (root / "catalogues").mkdir(parents=True, exist_ok=True)
    (root / "sources").mkdir(exist_ok=True)
    shutil.copy(HERE / "catalogues" / "laws.csv", root / "catalogues" / "laws.csv")
    with open(root / "catalogues" / "regions.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["adcode", "name", "level", "parent", "note"])
        w.writerows(regions)
    with open(root / "catalogues" / "withdrawn.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["id", "date", "reason", "replaced_by"])
        w.writerows(withdrawn)
    names = {k: field_names(root, k) for k in KINDS}
    schemas = {k: inline_schema(root, k) for k in KINDS}
    for c in counties:
        write_county(root, c, names, schemas)
    return sum(len(lst) for c in counties for lst in c.lists.values())


@dataclass
class Changes:
    changed: int = 0
    added: int = 0
    removed: int = 0
    renumbered: int = 0
    counties: list[str] = field(default_factory=list)
    withdrawn: list[list[str]] = field(default_factory=list)


def next_year(counties: list[County], seed: int = 7, vocab: Vocabulary | None = None,
              changed: float = 0.02, replaced: float = 0.01, swapped: float = 0.002) -> Changes:
    """Revise ``counties`` in place as the next year's lists; returns what changed.

    Revisions are concentrated, as they are in reality (a province or prefecture reissues its
    lists, the others keep theirs): whole prefectures, drawn at random, until they hold ≈ 15 % of
    the items; the rates are over all items.
    """
    vocab = vocab or Vocabulary()
    rng = random.Random(f"{seed}-next-year")
    total = sum(len(lst) for c in counties for lst in c.lists.values())
    prefs = sorted({c.prefecture for c in counties})
    rng.shuffle(prefs)
    revised: list[County] = []
    held = 0
    for p in prefs:
        if held >= 0.15 * total:
            break
        for c in counties:
            if c.prefecture == p:
                revised.append(c)
                held += sum(len(lst) for lst in c.lists.values())
    slots = [(c, kind, i) for c in revised for kind, lst in c.lists.items() for i in range(len(lst))]
    rng.shuffle(slots)
    n_changed, n_replaced, n_swapped = round(total * changed), round(total * replaced), round(total * swapped / 2)
    out = Changes(counties=sorted(c.adcode for c in revised))
    touched: set[tuple] = set()
    for c, kind, i in slots[:n_changed]:
        row = c.lists[kind][i]
        old = row["text"]
        new = old[:-1] + "，" + rng.choice(vocab.phrases[kind]) if rng.random() < 0.5 else vocab.text(rng, kind)
        if new != old:
            row["text"] = new
            out.changed += 1
            touched.add((c.adcode, kind, i))
    for c, kind, i in slots[n_changed:n_changed + n_replaced]:
        lst = c.lists[kind]
        old = lst[i]
        letter = KINDS[kind][0]
        top = max(int(r["id"].rsplit("-", 1)[1]) for r in lst)
        new = vocab.row(rng, kind)
        new.update(id=f"{c.adcode}-{letter}-{top + 1:03d}", seq=old["seq"], source=old["source"])
        if kind == "certificates" and any(r["text"] == new["text"] for r in lst):
            continue
        lst[i] = new
        out.removed += 1
        out.added += 1
        out.withdrawn.append([old["id"], "2027-01-01", "源文件删除该事项，由新事项替代（合成数据）/ dropped by the source (synthetic)",
                              new["id"]])
        touched.add((c.adcode, kind, i))
    pool = [s for s in slots[n_changed + n_replaced:] if s[2] + 1 < len(s[0].lists[s[1]])]
    for c, kind, i in pool:
        if n_swapped <= 0:
            break
        if {(c.adcode, kind, i), (c.adcode, kind, i + 1)} & touched:
            continue
        lst = c.lists[kind]
        lst[i], lst[i + 1] = lst[i + 1], lst[i]
        lst[i]["seq"], lst[i + 1]["seq"] = lst[i + 1]["seq"], lst[i]["seq"]
        touched |= {(c.adcode, kind, i), (c.adcode, kind, i + 1)}
        out.renumbered += 2
        n_swapped -= 1
    out.withdrawn.sort()
    return out


def touch_county(root: Path, items: int = NATIONAL_ITEMS, seed: int = 7) -> str:
    """One county's first duty reworded in the working tree of a generated repository (and its
    source text with it), nothing else: the first county from the middle of the list whose lists are
    still as generated (a county revised in the second year would lose its revision), with the
    second year's withdrawn ids kept. Returns its adcode (the benchmark's rebuild after one change)."""
    root = Path(root)
    regions, counties = build(items, seed)
    names = {k: field_names(root, k) for k in KINDS}
    with open(root / "catalogues" / "withdrawn.csv", encoding="utf-8", newline="") as fh:
        withdrawn = list(csv.reader(fh))[1:]

    def as_generated(c: County) -> bool:
        folder = root / "catalogues" / c.folder
        return all((folder / f"{kind}.csv").is_file()
                   and (folder / f"{kind}.csv").read_text(encoding="utf-8") == _csv_text(names[kind], lst)
                   for kind, lst in c.lists.items())

    middle = len(counties) // 2
    county = next((c for c in counties[middle:] + counties[:middle] if "duties" in c.lists and as_generated(c)), None)
    if county is None:
        raise ValueError(f"{root}: no county is as generated (items={items}, seed={seed})")
    county.lists["duties"][0]["text"] += "（本县修订）"
    write_repo(root, regions, [county], withdrawn)
    return county.adcode


def _git(root: Path, *args: str, date: str | None = None) -> str:
    from villagecat import git

    env = dict(GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.invalid",
               GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@example.invalid")
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    return git.run(root, *args, env=env)


def make_git_repo(root: Path, items: int = NATIONAL_ITEMS, seed: int = 7) -> dict:
    """Both years as two commits of a git repository at ``root`` (tags year1, year2; year2 checked out)."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    vocab = Vocabulary()
    regions, counties = build(items, seed, vocab)
    total1 = write_repo(root, regions, counties)
    _git(root, "init", "-q", "-b", "main")
    # No automatic gc: after a commit of ≈ 50k files git would pack the objects in a detached
    # process, which ran on, unseen, through the next steps a benchmark timed. Packed once below,
    # in the foreground, as a clone of a real repository is.
    _git(root, "config", "gc.auto", "0")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "year 1 (synthetic)", date=GIT_DATES[0])
    _git(root, "tag", "year1")
    changes = next_year(counties, seed, vocab)
    revised = {c.adcode for c in counties if c.adcode in set(changes.counties)}
    write_repo(root, regions, [c for c in counties if c.adcode in revised], changes.withdrawn)
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "year 2 (synthetic)", date=GIT_DATES[1])
    _git(root, "tag", "year2")
    _git(root, "gc", "-q")
    return {"items_year1": total1,
            "items_year2": sum(len(l) for c in counties for l in c.lists.values()),
            "counties": len(counties), "provinces": len({c.province for c in counties}),
            "prefectures": len({c.prefecture for c in counties}), "revised_counties": len(changes.counties),
            "changed": changes.changed, "added": changes.added, "removed": changes.removed,
            "renumbered": changes.renumbered}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="write a synthetic national catalogue (two years, two git commits)")
    p.add_argument("root")
    p.add_argument("--items", type=int, default=NATIONAL_ITEMS)
    p.add_argument("--seed", type=int, default=7)
    args = p.parse_args(argv)
    import json

    print(json.dumps(make_git_repo(Path(args.root), args.items, args.seed)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
