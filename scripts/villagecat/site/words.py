"""Words for the public: the plain-Chinese version of a note written for maintainers, or nothing.

Notes in the data (``note`` of an item, ``x-note`` of a list, ``x-notes`` of a region, notes of
sources and known documents) are written for people who maintain the catalogue: they name CSV
columns (``seq``, ``legal_basis`` …), keys of ``catalogue.yaml`` and files of the repository. The
data keeps them as written (and the downloads carry them); the site shows :func:`plain` of them:
each such name replaced by its Chinese title from the schemas (``seq`` → 序号) or a plain phrase
(``catalogues/known-documents.csv`` → 已知文件登记表), and nothing at all when a name without a
plain phrase would remain.

>>> titles = {"seq": "序号", "category": "类别"}
>>> plain("seq 为出现顺序；category 为所在二级标题。", titles)
'序号为出现顺序；类别为所在二级标题。'
>>> plain("理由见 catalogue 的 x-notes", titles)
'理由见本地区的整理说明'
>>> plain("见 catalogues/known-documents.csv（K012）。", titles)
'见已知文件登记表（K012）。'
>>> plain("政务 APP 与 http://example.org/a_b 照录", titles)
'政务 APP 与 http://example.org/a_b 照录'
>>> plain("frobnicate_total 为空", titles)
''
"""

from __future__ import annotations

import re

from villagecat.model import KINDS, PATH_KINDS, SOURCE_KINDS

# Phrases first (longest first), then single names. Applied to ASCII runs only, outside addresses.
PHRASES = [
    (r"cited by ([^;；]+)[;；] not transcribed: we do not have its text\.", r"\1引用了此文件；本站没有其文本。"),
    (r"catalogue(?:\.yaml)? 的 x-notes", "本地区的整理说明"),
    (r"catalogue(?:\.yaml)?\s*x-notes", "本地区的整理说明"),
    (r"catalogue(?:\.yaml)? 的 x-note", "本清单的整理说明"),
    (r"资源说明", "本清单的整理说明"),
    (r"catalogues/known-documents\.csv", "已知文件登记表"),
    (r"catalogues/laws\.csv", "法律法规表"),
    (r"catalogues/withdrawn\.csv", "撤回编号登记表"),
    (r"catalogues/000000-quanguo/?", "全国目录"),
    (r"catalogues/[0-9]{6}-[a-z]+/?", "该地区的目录"),
    (r"docs/data-conventions\.md", "数据整理规范"),
    (r"sources/README\.md", "来源文本说明"),
    (r"sources/[A-Za-z0-9_.-]+\.md", "本站转录的来源文本"),
    (r"x-policy(?:\.[a-z_]+)?", "政策数值"),
    (r"x-legal-basis", "清单级依据"),
    (r"x-notes?", "整理说明"),
    (r"x-completeness", "完整程度"),
    (r"reported_total", "来源自述总数"),
    (r"catalogue\.yaml", "目录说明文件"),
    (r"null", "空"),
    (r"laws\.csv", "法律法规表"),
    (r"path_kind", "地址类型"),
]
POSITIONS = {"exterior-sign": "外部标牌", "exterior-mark": "外部标识", "interior-sign": "内部标牌",
             "mechanism": "村级组织和工作机制"}
# Plain words for schema names whose title is missing or not the public word.
EXTRA = {"position": "位置", "sources": "来源文件", "source": "来源", "title": "标题", "kind": "类型", "path": "地址",
         "date": "日期", "text": "事项原文", "note": "备注", "id": "编号", "catalogue": "本目录"}
_URL = re.compile(r"https?://\S+|www\.\S+|[A-Za-z0-9.-]+\.(?:com|cn|org|net|gov)(?:\.cn)?(?:/\S*)?")
_WORD = re.compile(r"[ ]?(?<![A-Za-z0-9_\-.])([A-Za-z_][A-Za-z0-9_\-]*(?:\.csv)?)(?![A-Za-z0-9_\-])[ ]?")
# ASCII words that are ordinary text in the notes, not names of the data.
ORDINARY = {"APP", "XX", "Markdown", "HTML", "PDF", "OCR", "Word", "Excel", "QQ", "GB", "T"}


def plain(text: str, titles: dict[str, str]) -> str:
    return _plain(text, titles)[0]


def _plain(text: str, titles: dict[str, str]) -> tuple[str, list[str]]:
    """``text`` with the names of the data replaced by plain Chinese; ``""`` if one cannot be.

    ``titles`` maps column names to their Chinese titles (the schemas' ``title``).
    """
    if not text:
        return "", []
    words = {**SOURCE_KINDS, **PATH_KINDS, **{k: KINDS[k][1] for k in KINDS}, **POSITIONS, **EXTRA, **{k: v for k, v in titles.items() if v}}
    kept: list[str] = []

    def hide(m: re.Match) -> str:  # addresses stay as written, out of the way of the name rules
        kept.append(m.group(0))
        return f"\x00{len(kept) - 1}\x00"

    out = _URL.sub(hide, text)
    for pattern, phrase in PHRASES:
        out = re.sub(rf"\s?{pattern}\s?", phrase, out)
    unknown = []

    def name(m: re.Match) -> str:
        w = m.group(1)
        stem = w[:-4] if w.endswith(".csv") else w
        if w in ORDINARY or re.fullmatch(r"[A-Z]+[0-9]+|[A-Z]{1,2}", w):  # L0001, K012: ids the site shows
            return m.group(0)
        if stem in words:
            return words[stem] + ("表" if w.endswith(".csv") else "")
        unknown.append(w)
        return m.group(0)

    out = _WORD.sub(name, out)
    if unknown:
        return "", unknown
    return re.sub("\x00([0-9]+)\x00", lambda m: kept[int(m.group(1))], out), []
