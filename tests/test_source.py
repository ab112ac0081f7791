"""Reading articles: text, HTML, boilerplate, and the inputs that must be refused."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from geomap.errors import GeomapError
from geomap.source.read import decode, from_text, read

MOSUL = Path(__file__).resolve().parent.parent / "data" / "articles" / "mosul.txt"


def test_mosul_article_keeps_the_story_and_drops_page_furniture() -> None:
    article = read(MOSUL)
    assert article.title == "US-Backed Forces Score Their Biggest Victory Over ISIS Yet"
    assert "retook the major city of Mosul Saturday" in article.text
    assert "its capital in Syria" in article.text
    for furniture in ("Font Size:", "By subscribing you agree", "You're signed up!", "Follow Russ Read on Twitter"):
        assert furniture not in article.text


def test_html_is_reduced_to_paragraph_text_with_title_and_date() -> None:
    html = """<!doctype html><html><head><title>Site | Story</title>
    <meta property="article:published_time" content="2017-07-10T08:00:00Z">
    <meta property="og:site_name" content=" The  Daily Caller ">
    <script>var Paris = 1;</script><style>p {}</style></head>
    <body><nav>Home London Berlin</nav><h1>Fighting in Mosul</h1>
    <p>Troops entered <b>Mosul</b> on Sunday.</p><p>The Tigris &amp; the city.</p></body></html>"""
    article = from_text(html, source="x.html")
    assert article.title == "Fighting in Mosul"
    assert article.date == "2017-07-10" and article.publisher == "The Daily Caller"
    assert "Troops entered Mosul on Sunday." in article.text
    assert "The Tigris & the city." in article.text
    assert "Paris" not in article.text and "Berlin" not in article.text


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "is empty"), (b"   \n\t\n", "is empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file")],
)
def test_bad_files_are_refused_with_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    with pytest.raises(GeomapError, match=message) as info:
        read(path)
    assert "\n" not in str(info.value)


def test_missing_file_and_directory_are_refused(tmp_path: Path) -> None:
    with pytest.raises(GeomapError, match="no such file"):
        read(tmp_path / "nope.txt")
    with pytest.raises(GeomapError, match="is a directory"):
        read(tmp_path)


def test_cp1252_text_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Caf\xe9 life in Montr\xe9al.".encode("cp1252"))
    assert "Montréal" in read(path).text


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32", "utf-32-be"])
def test_byte_order_marks_are_honoured(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "article.txt"
    text = "Floods in São Paulo and Curitiba, Brazil."
    data = text.encode(encoding)
    if encoding.endswith("-be"):
        data = "\ufeff".encode(encoding) + data  # Python writes no BOM for an explicit byte order
    path.write_bytes(data)
    assert read(path).text.strip() == text  # before: UTF-16 and -32 were refused as binary files


def test_a_stray_byte_in_utf8_is_replaced_and_reported(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes("Floods in São Paulo, Brazil.\n".encode() + b"A stray \xff byte.\n")
    text = read(path).text
    assert "São Paulo" in text and "A stray \ufffd byte." in text  # before: cp1252, "SÃ£o Paulo"
    [warning] = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warning == f"{path}: invalid UTF-8 at byte 38 replaced with U+FFFD"


def test_invalid_bytes_are_counted(caplog: pytest.LogCaptureFixture) -> None:
    assert decode(b"\xef\xbb\xbfS\xc3\xa3o \xff Paulo \xfe\xfe", "x") == "São \ufffd Paulo \ufffd\ufffd"
    assert [r.getMessage() for r in caplog.records] == ["x: invalid UTF-8 at byte 8 (and 2 more) replaced with U+FFFD"]


def test_a_declared_charset_is_used_and_a_bom_beats_it() -> None:
    assert decode("Montréal".encode("latin-1"), "x", "iso-8859-1") == "Montréal"
    assert decode(codecs.BOM_UTF8 + "Montréal".encode(), "x", "iso-8859-1") == "Montréal"
    assert decode("Montréal".encode(), "x", "no-such-charset") == "Montréal"


def test_utf16_without_text_is_still_empty(tmp_path: Path) -> None:
    with pytest.raises(GeomapError, match="is empty"):
        decode(codecs.BOM_UTF16_LE + " \n".encode("utf-16-le"), "x")
