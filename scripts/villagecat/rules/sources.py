"""Every source a catalogue.yaml names can be checked: its transcription is in the repository
under ``sources/``, unchanged since its checksum was written, and holds every item's text.

A source that some list or item cites needs a transcription (``file``) or at least a public
address (``path``); a source no list or item cites records a document known only by citation
(shown on the site as not yet read) and needs neither.
"""

from villagecat.decode import yaml_line
from villagecat.problems import define, problem
from villagecat.source_text import fold, fold_document

define("source-path-unsafe", "input", "来源文件路径不合规", "Bad source file path",
       "来源 {key} 的 file 为 {path!r}，不是 sources/ 下的 .md 文件名，或指向仓库之外。",
       "Source {key} has file {path!r}, which is not a .md file name under sources/, or leaves the repository.",
       "把转录文本放进仓库的 sources/ 文件夹（文件名只用字母、数字、_ . -，以 .md 结尾），file 写成如 sources/{example}.md。",
       "Put the transcription in the repository's sources/ folder (letters, digits, _ . - only, ending in .md) and set file to e.g. sources/{example}.md.")
define("source-file-missing", "input", "来源文件不存在", "Source file missing",
       "来源 {key} 的转录文件 {path} 不存在。", "The transcription {path} of source {key} does not exist.",
       "把转录文本（带文件头，写法见 sources/README.md）提交到 {path}，或改正 file。",
       "Commit the transcription (with its header, see sources/README.md) at {path}, or correct file.")
define("source-checksum", "policy", "来源文件校验和不符", "Source file checksum mismatch",
       "来源 {key} 的 sha256 为 {declared!r}，而 {path} 的实际 SHA-256 为 {actual}。",
       "Source {key} has sha256 {declared!r}, but {path} has SHA-256 {actual}.",
       "确认对 {path} 的修改是有意的（原文不可改动；文件头可以补充），然后把 sha256 写为：{actual}",
       "Make sure the change to {path} was meant (the text must not change; the header may be completed), then set sha256 to: {actual}")
define("source-untraceable", "policy", "来源既无转录也无地址", "Source has neither text nor address",
       "来源 {key} 被清单或事项引用，但既没有转录文件（file）也没有公开地址（path），无法核对。",
       "Source {key} is cited by a list or items but has neither a transcription (file) nor a public address (path): it cannot be checked.",
       "把文件全文转录到 sources/ 并填写 file 和 sha256；至少填写 path（公开网址）。",
       "Transcribe the document into sources/ and fill file and sha256; at the least fill path (its public address).")
define("text-not-in-source", "policy", "事项文字不在来源文件中", "Item text not found in its source",
       "{id} 的 text 在来源 {key} 的转录文件 {path} 中找不到（已忽略空白和 ** 标记）。",
       "The text of {id} is not found in {path}, the transcription of source {key} (whitespace and ** marks ignored).",
       "照 {path} 逐字改正 text（只可去掉排版造成的空格和断行，并在 note 中说明）；若来源确实不同，改正 source 或转录文件。",
       "Correct text to match {path} word for word (only layout spaces and line breaks may go, say so in note); if the source really differs, fix source or the transcription.")


def check(cat):
    named = {s.file.strip() for r in cat.catalogued_regions() for s in r.sources.values()}
    reported: set[str] = set()
    for region in cat.catalogued_regions():
        sources = region.package.get("sources") if isinstance(region.package, dict) else None
        if not isinstance(sources, list):
            continue
        yaml_file = f"catalogues/{region.folder}/catalogue.yaml"
        node = region.package_node
        cited = {lst.source for lst in region.lists.values()} | {i.source for l in region.lists.values() for i in l.items}
        for index, entry in enumerate(sources):
            if not isinstance(entry, dict) or not entry.get("key"):
                continue
            key = str(entry["key"])
            source = region.sources.get(key)
            if source is None:
                continue
            rel = source.file.strip()
            where = ("sources", index)
            if not rel:
                if not source.path.strip() and key in cited:
                    yield problem("source-untraceable", file=yaml_file, row=yaml_line(node, where), column="file", key=key)
                continue
            sf = cat.source_files.get(rel)
            if sf is None:
                continue
            if sf.status == "unsafe":
                yield problem("source-path-unsafe", file=yaml_file, row=yaml_line(node, where + ("file",)), column="file",
                              key=key, path=rel, example=key)
                continue
            if sf.status == "missing":
                yield problem("source-file-missing", file=yaml_file, row=yaml_line(node, where + ("file",)), column="file",
                              key=key, path=rel)
                continue
            if rel not in reported:  # problems of the file itself, once however many sources name it
                reported.add(rel)
                yield from sf.problems
            if sf.sha256 and source.sha256.strip() != sf.sha256:
                row = yaml_line(node, where + ("sha256",)) if source.sha256 else yaml_line(node, where)
                yield problem("source-checksum", file=yaml_file, row=row, column="sha256",
                              key=key, path=rel, declared=source.sha256, actual=sf.sha256)
    for rel, sf in sorted(cat.source_files.items()):  # files under sources/ that no catalogue names
        if rel not in reported and sf.status in ("ok", "unreadable") and rel not in named:
            yield from sf.problems
    yield from _verbatim(cat)


def _verbatim(cat):
    """Every item's text is found in the body of the transcription its source names."""
    folded: dict[str, str] = {}
    for region in cat.catalogued_regions():
        for lst in region.lists.values():
            for item in lst.items:
                key = item.source or lst.source
                source = region.sources.get(key)
                sf = cat.source_file(source)
                if sf is None or sf.status != "ok" or not item.text.strip():
                    continue  # unknown-source, a missing file and an empty text are reported elsewhere
                if sf.path not in folded:
                    folded[sf.path] = fold_document(sf.body)
                if fold(item.text) not in folded[sf.path]:
                    yield problem("text-not-in-source", file=item.path, row=item.row, column="text", item_id=item.id,
                                  id=item.id, key=key, path=sf.path)
