"""``villagecat new-region``: a region's row in regions.csv and a commented catalogue.yaml to fill in.

The folder is ``<adcode>-<pinyin>``. Pinyin is not derived by machine: Chinese place names have
readings a dictionary gets wrong (重庆 chongqing, 长治 changzhi) and spellings fixed by use (陕西
shaanxi beside 山西 shanxi). The provincial-level names are in :data:`PROVINCE_SLUGS`, spelled as
the existing folders spell them; for any other region ``--slug`` says it.

>>> slug_for("内蒙古自治区"), slug_for("陕西省"), slug_for("某某县")
('neimenggu', 'shaanxi', None)
>>> level_for("150000"), level_for("150100"), level_for("150102")
('province', 'prefecture', 'county')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from villagecat.decode import read_csv_bytes

PROVINCE_SLUGS = {
    "全国": "quanguo", "北京": "beijing", "天津": "tianjin", "河北": "hebei", "山西": "shanxi",
    "内蒙古": "neimenggu", "辽宁": "liaoning", "吉林": "jilin", "黑龙江": "heilongjiang", "上海": "shanghai",
    "江苏": "jiangsu", "浙江": "zhejiang", "安徽": "anhui", "福建": "fujian", "江西": "jiangxi",
    "山东": "shandong", "河南": "henan", "湖北": "hubei", "湖南": "hunan", "广东": "guangdong",
    "广西": "guangxi", "海南": "hainan", "重庆": "chongqing", "四川": "sichuan", "贵州": "guizhou",
    "云南": "yunnan", "西藏": "xizang", "陕西": "shaanxi", "甘肃": "gansu", "青海": "qinghai",
    "宁夏": "ningxia", "新疆": "xinjiang", "台湾": "taiwan", "香港": "xianggang", "澳门": "aomen",
}
_SUFFIX = re.compile(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$")
SLUG_RE = re.compile(r"^[a-z][a-z0-9-]*$")
ADCODE_RE = re.compile(r"^\d{6}$")


class ScaffoldError(ValueError):
    """The region cannot be scaffolded as asked; the message says why and what to do."""


def slug_for(name: str) -> str | None:
    """The folder pinyin of a provincial-level name, or ``None`` (then ``--slug`` is needed)."""
    return PROVINCE_SLUGS.get(_SUFFIX.sub("", name.strip()))


def level_for(adcode: str) -> str:
    if adcode == "000000":
        return "national"
    if adcode.endswith("0000"):
        return "province"
    return "prefecture" if adcode.endswith("00") else "county"


CATALOGUE_TEMPLATE = """\
# {name}（{adcode}）的目录描述。写法见 docs/data-conventions.md，字段说明见数据字典。
# The descriptor of this region's catalogue: see docs/data-conventions.md.
name: {folder}                 # 等于文件夹名，不要改 / equal to the folder name
title: {name}村级组织工作事务、机制牌子和证明事项   # 数据包标题：按所收清单改写 / package title
region: "{adcode}"             # 行政区划代码，加引号 / the adcode, quoted
licenses:
  - name: CC-BY-4.0
    path: https://creativecommons.org/licenses/by/4.0/
    title: Creative Commons Attribution 4.0
sources:                       # 来源文件：每份一项 / one entry per source document
  - key: {folder_slug}-source   # 来源键：小写字母、数字、连字符；清单和每行的 source 填它 / what rows put in `source`
    title: ""                  # 文件标题，不加书名号 / the document's title, without 《》
    issuer: ""                 # 发文机关，多个用顿号分隔 / issuing body or bodies
    number: ""                 # 文号，如 桂民发〔2023〕9号；没有或未见时留空并在 note 说明 / document number
    date: ""                   # 日期 "YYYY-MM-DD"（只知年月或年份写 "YYYY-MM"、"YYYY"）/ quoted date
    kind: official-text        # official-text 官方文本 / reprint 转载 / press-report 新闻报道
    path: ""                   # 公开网址 / public address
    file: ""                   # 全文转录 sources/<名称>.md（见 sources/README.md；填了就要写 sha256，validate 会给出）/ the transcription, then its sha256
    note: ""                   # 日期性质、文号为何为空等 / notes on the date, a missing number…
resources: []                  # 各清单：villagecat import 会添加 / the lists: villagecat import adds them
"""


@dataclass
class Scaffold:
    folder: str
    region_added: bool
    files: list[str] = field(default_factory=list)
    register_rows: list[dict[str, str]] = field(default_factory=list)


def _rows(path: Path):
    rows, probs = read_csv_bytes(path.name, path.read_bytes())
    if rows is None or not rows:
        raise ScaffoldError(f"无法读取 {path}（运行 villagecat validate）/ cannot read {path} (run villagecat validate)")
    return rows


def new_region(root: str | Path, adcode: str, name: str | None = None, parent: str | None = None,
               slug: str | None = None) -> Scaffold:
    root = Path(root)
    cats = root / "catalogues"
    if not ADCODE_RE.match(adcode):
        raise ScaffoldError(f"{adcode!r} 不是六位行政区划代码 / is not a six-digit adcode")
    existing = [p.name for p in cats.iterdir() if p.is_dir() and p.name.startswith(adcode + "-")]
    if existing:
        raise ScaffoldError(f"地区 {adcode} 已有文件夹 catalogues/{existing[0]} / region {adcode} already has a folder")
    regions_path = cats / "regions.csv"
    rows = _rows(regions_path)
    header = rows[0]
    col = {h: i for i, h in enumerate(header)}
    table = {r[col["adcode"]]: r for r in rows[1:] if len(r) == len(header)}
    region_added = False
    if adcode in table:
        known = table[adcode][col["name"]]
        if name and name != known:
            raise ScaffoldError(f"regions.csv 中 {adcode} 的名称是 {known!r}，不是 {name!r} / regions.csv names {adcode} "
                                f"{known!r}, not {name!r}")
        name = known
    else:
        if not name or not parent:
            raise ScaffoldError(f"regions.csv 中没有 {adcode}：请给出 --name 和 --parent / {adcode} is not in regions.csv: "
                                f"give --name and --parent")
        if parent not in table:
            raise ScaffoldError(f"上级 {parent} 不在 regions.csv 中：先添加上级 / parent {parent} is not in regions.csv: add it first")
        _insert_region(regions_path, rows, col, [adcode, name, level_for(adcode), parent, ""][:len(header)])
        region_added = True
    slug = slug or slug_for(name)
    if not slug:
        raise ScaffoldError(f"请用 --slug 给出“{name}”的拼音（小写字母，如 luquan）/ give the pinyin of {name!r} with --slug "
                            f"(lowercase, e.g. luquan)")
    if not SLUG_RE.match(slug):
        raise ScaffoldError(f"--slug {slug!r} 只能用小写字母、数字和连字符，以字母开头 / lowercase letters, digits, hyphens")
    folder = f"{adcode}-{slug}"
    (cats / folder).mkdir()
    yml = cats / folder / "catalogue.yaml"
    yml.write_text(CATALOGUE_TEMPLATE.format(name=name, adcode=adcode, folder=folder, folder_slug=slug), encoding="utf-8")
    out = Scaffold(folder=folder, region_added=region_added, files=[yml.relative_to(root).as_posix()])
    register = cats / "known-documents.csv"
    if register.is_file():
        reg = _rows(register)
        for r in reg[1:]:
            rec = dict(zip(reg[0], r))
            if rec.get("region") == adcode:
                out.register_rows.append(rec)
    return out


def _insert_region(path: Path, rows, col: dict, new: list[str]) -> None:
    """Insert the row in adcode order, textually: every other byte of regions.csv stays."""
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(new)
    line_no = None
    for r, line in zip(rows[1:], rows.lines[1:]):
        if len(r) > col["adcode"] and r[col["adcode"]] > new[0]:
            line_no = line
            break
    text = path.read_bytes().decode("utf-8")
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    if line_no is None:
        lines.append(buf.getvalue())
    else:
        lines.insert(line_no - 1, buf.getvalue())
    path.write_text("".join(lines), encoding="utf-8")


def next_steps(s: Scaffold, adcode: str) -> str:
    out = []
    if s.register_rows:
        out.append("登记表中关于这个地区的文件 / register rows about this region (catalogues/known-documents.csv):")
        for r in s.register_rows:
            out.append(f"  {r.get('id')} [{r.get('status')}] {r.get('title') or '（标题未知 / title unknown）'}"
                       f" {r.get('number', '')} {r.get('date', '')} {r.get('kinds', '')}")
        out.append("  录入后把该行的 status 改为 transcribed（或 partial），catalogue 填“文件夹/清单类型”。"
                   "/ once transcribed, set its status to transcribed (or partial) and catalogue to '<folder>/<kind>'.")
    cy = f"catalogues/{s.folder}/catalogue.yaml"
    out += [
        "下一步 / next steps:",
        f"  1. 在 {cy} 的 sources 中填写来源文件：标题、发文机关、文号、日期、网址。/ fill in the source document in {cy}.",
        f"  2. 导入清单 / import a list: villagecat import 清单.xlsx --region {adcode} --kind negative-certificates --source <来源键 key>",
        f"  3. 校验 / validate: villagecat validate catalogues/{s.folder}",
        "  4. 查看改动、贴进 pull request / the diff for the pull request: villagecat diff main --format markdown",
    ]
    return "\n".join(out) + "\n"
