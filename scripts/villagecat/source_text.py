"""The transcriptions under ``sources/``: a provenance header, then the document's text.

A source file is a YAML front-matter block between two ``---`` lines (title, issuer, number, date,
kind, addresses, retrieved, ``body_sha256`` …), followed by the body: the text exactly as it was
transcribed, byte for byte. ``catalogue.yaml`` names the file (``sources/<name>.md``) and gives the
SHA-256 of the whole file; the header gives the SHA-256 of the body alone.

An item's text is found in its source when, with every kind of whitespace removed from both (line
breaks, spaces, full-width spaces: a PDF or newspaper layout puts them inside words) and Markdown
bold markers (``**``) removed from the source, the item's text is a substring of the source's.

>>> fold("完 善\\n村　务")
'完善村务'
>>> fold_document("**一、总体要求**\\n完善")
'一、总体要求完善'
>>> sf = parse_source_file("sources/x.md", b"---\\ntitle: t\\nbody_sha256: " + sha256(b"Body\\n").encode() + b"\\n---\\nBody\\n")
>>> sf.status, sf.body, sf.body_line, sf.problems
('ok', 'Body\\n', 5, [])
"""

from __future__ import annotations

import dataclasses
import hashlib
import re

from villagecat.decode import decode_text, read_yaml_bytes
from villagecat.model import SourceFile
from villagecat.problems import define, problem

SOURCES_DIR = "sources"
SOURCE_FILE_RE = re.compile(r"^sources/[A-Za-z0-9_.-]+\.md$")
MAX_SOURCE_BYTES = 4 * 1024 * 1024
OPEN = b"---\n"
CLOSE = b"\n---\n"

_WHITESPACE = re.compile(r"\s+")
_BOLD = re.compile(r"\*\*")

define("source-header", "input", "来源文件的文件头不合规", "Bad source file header",
       "{path}：{detail}", "{path}: {detail_en}",
       "来源文件以“---”行开头，接着是 YAML 文件头（title、issuer、number、date、kind、addresses、retrieved、body_sha256），"
       "再一行“---”，然后是原文；写法见 sources/README.md。{fix}",
       "A source file starts with a '---' line, then the YAML header (title, issuer, number, date, kind, addresses, "
       "retrieved, body_sha256), another '---' line, then the text; see sources/README.md. {fix_en}")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fold(text: str) -> str:
    """An item's text as compared: every kind of whitespace removed."""
    return _WHITESPACE.sub("", text)


def fold_document(text: str) -> str:
    """A source's body as compared: Markdown bold markers (``**``) and then whitespace removed."""
    return fold(_BOLD.sub("", text))


def _header_problem(path: str, row: int | None, detail: str, detail_en: str, fix: str = "", fix_en: str = ""):
    return problem("source-header", file=path, row=row, path=path, detail=detail, detail_en=detail_en, fix=fix, fix_en=fix_en)


def parse_source_file(path: str, data: bytes) -> SourceFile:
    """Bytes of ``sources/<name>.md`` → a :class:`SourceFile` (never raises on bad input)."""
    sf = SourceFile(path=path, sha256=sha256(data))
    text, probs = decode_text(path, data, MAX_SOURCE_BYTES)
    sf.problems.extend(probs)
    if text is None:
        sf.status = "unreadable"
        return sf
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # decode_text has reported the BOM
    end = data.find(CLOSE, len(OPEN) - 1) if data.startswith(OPEN) else -1
    if end < 0:
        sf.status = "unreadable"
        sf.problems.append(_header_problem(path, 1, "没有以“---”行开始和结束的文件头。",
                                           "no header between two '---' lines."))
        return sf
    head, body = data[len(OPEN):end + 1], data[end + len(CLOSE):]
    sf.body_line = data[:end + len(CLOSE)].count(b"\n") + 1
    sf.body = body.decode("utf-8")
    sf.body_sha256 = sha256(body)
    header, _, yprobs = read_yaml_bytes(path, head) if head.strip() else (None, None, [])
    for p in yprobs:  # header lines start on the file's line 2
        if p.rule in ("yaml-not-mapping",):
            continue
        sf.problems.append(dataclasses.replace(p, row=p.row + 1) if p.row else p)
    if header is None:
        if not any(p.rule in ("yaml-syntax", "yaml-alias") for p in sf.problems):
            sf.problems.append(_header_problem(path, 2, "文件头不是“键: 值”映射。", "the header is not a mapping of keys to values."))
        return sf
    sf.header = header
    declared = header.get("body_sha256")
    if declared != sf.body_sha256:
        sf.problems.append(_header_problem(
            path, 2,
            f"文件头的 body_sha256 为 {declared!r}，正文（第 {sf.body_line} 行起）实际为 {sf.body_sha256}。",
            f"the header's body_sha256 is {declared!r}; the body (from line {sf.body_line}) has {sf.body_sha256}.",
            f"正文如确应修改，把 body_sha256 改为 {sf.body_sha256}，并更新 catalogue.yaml 中的 sha256。",
            f"If the body was meant to change, set body_sha256 to {sf.body_sha256} and update sha256 in catalogue.yaml."))
    return sf
