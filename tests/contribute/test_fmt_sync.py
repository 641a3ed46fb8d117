"""``villagecat fmt`` writes the canonical form without changing meaning; ``sync`` keeps comments."""

from __future__ import annotations

from conftest import cli
from villagecat.reader import read_catalogue
from villagecat.sync import sync

DUTIES = "catalogues/150000-neimenggu/duties.csv"


def items(root):
    return {i.id: i.values for i in read_catalogue(str(root)).items()}


def mess_up(root):
    """What an editor or Excel does: BOM, CRLF, padded cells, columns swapped, rows out of order."""
    path = root / DUTIES
    lines = path.read_text(encoding="utf-8").splitlines()
    header, rows = lines[0].split(","), [l.split(",") for l in lines[1:]]
    order = [1, 0] + list(range(2, len(header)))  # seq before id
    text = "\r\n".join(",".join(r[i] for i in order) for r in [header] + rows[::-1])
    text = text.replace("宣传", "  宣传", 1)
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8") + b"\r\n")


def test_fmt_check_fails_on_unformatted_file_then_fmt_fixes_it(repo, capsys):
    before = items(repo)
    code, out, _ = cli(capsys, "fmt", "--check", "--repo", str(repo))
    assert code == 0, out
    mess_up(repo)
    messy = (repo / DUTIES).read_bytes()
    code, out, _ = cli(capsys, "fmt", "--check", "--repo", str(repo))
    assert code == 1 and DUTIES in out
    assert (repo / DUTIES).read_bytes() == messy  # --check writes nothing
    code, out, _ = cli(capsys, "fmt", "--repo", str(repo))
    assert code == 0 and DUTIES in out
    data = (repo / DUTIES).read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data and b",  " not in data
    assert data.decode().splitlines()[0].startswith("id,seq,")
    assert items(repo) == before  # same meaning: every id with the same values
    code, out, _ = cli(capsys, "fmt", "--check", "--repo", str(repo))
    assert code == 0
    code, _, _ = cli(capsys, "fmt", "--repo", str(repo))  # idempotent
    assert (repo / DUTIES).read_bytes() == data


def test_fmt_keeps_source_order_when_sections_restart_numbering(repo):
    from villagecat.fmt import canonical

    rows = [["id", "seq", "category", "text"], ["x-1", "1", "甲", "a"], ["x-2", "2", "甲", "b"],
            ["x-3", "1", "乙", "c"], ["x-4", "2", "乙", "d"]]
    _, recs = canonical(rows, ["id", "seq", "category", "text"], sort_by_seq=True)
    assert [r["id"] for r in recs] == ["x-1", "x-2", "x-3", "x-4"]
    _, recs = canonical([rows[0], rows[2], rows[1]], ["id", "seq", "category", "text"], sort_by_seq=True)
    assert [r["id"] for r in recs] == ["x-1", "x-2"]


def test_fmt_leaves_a_ragged_file_alone(repo, capsys):
    path = repo / DUTIES
    path.write_text(path.read_text(encoding="utf-8") + "150000-D-009,9\n", encoding="utf-8")
    before = path.read_bytes()
    code, out, _ = cli(capsys, "fmt", "--repo", str(repo))
    assert code == 1 and "未处理" in out and path.read_bytes() == before


def test_sync_keeps_comments(repo):
    yml = repo / "catalogues/150000-neimenggu/catalogue.yaml"
    text = yml.read_text(encoding="utf-8")
    text = text.replace("title: 测试目录", "title: 测试目录   # 标题照源文件\n# 下面是来源文件", 1)
    text = text.replace('        "required": true', '        "required": false', 1)  # make a copy stale
    stale = text.replace('"unique": true', '"unique": false', 1)
    yml.write_text(stale, encoding="utf-8")
    assert sync(repo) == ["catalogues/150000-neimenggu/catalogue.yaml"]
    new = yml.read_text(encoding="utf-8")
    assert "# 标题照源文件" in new and "# 下面是来源文件" in new
    assert sync(repo, write=False) == []  # up to date now
    # Everything outside the schema blocks is byte for byte what it was.
    strip = lambda t: [l for l in t.splitlines() if not l.startswith("      ") and "schema:" not in l]
    assert strip(new) == strip(stale)


def test_fmt_renames_chinese_titles_in_the_header(repo, capsys):
    before = items(repo)
    path = repo / DUTIES
    text = path.read_text(encoding="utf-8").split("\n", 1)
    path.write_text("编号,序号,类别,事项内容,法律依据（编号）,依据原文,来源文件,备注\n" + text[1], encoding="utf-8")
    code, out, _ = cli(capsys, "fmt", "--repo", str(repo))
    assert code == 0 and items(repo) == before
