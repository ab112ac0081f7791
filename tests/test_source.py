"""Reading articles: text, HTML, boilerplate, and the inputs that must be refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from geomap.errors import GeomapError
from geomap.source.read import from_text, read

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
    <script>var Paris = 1;</script><style>p {}</style></head>
    <body><nav>Home London Berlin</nav><h1>Fighting in Mosul</h1>
    <p>Troops entered <b>Mosul</b> on Sunday.</p><p>The Tigris &amp; the city.</p></body></html>"""
    article = from_text(html, source="x.html")
    assert article.title == "Fighting in Mosul"
    assert article.date == "2017-07-10"
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
