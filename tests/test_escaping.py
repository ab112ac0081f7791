"""Markup never runs (issue 15, item 1): script-bearing text pushed through every input
channel (article text, an HTML article's title and metadata, project and map titles,
correction names, a geocoder's answer from a local stand-in) into every format a reader
opens (page, fragment, iframe with srcdoc, the inline page a PNG is shot from, the build
index) is shown as text in headless Chromium, every popup and tooltip opened; GeoJSON
carries it as plain data. Each payload, if it ran, would mark the top document's <html>
with data-pwned; the dumped DOM must not show the mark, and must show the text."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

import geomap
from geomap.maps.chromium import run_chromium
from geomap.tools import project as proj

pytestmark = pytest.mark.usefixtures("chromium")

MARK = "top.document.documentElement.setAttribute('data-pwned','{}')"
#: Defined in the top document, so that short payloads can still mark it.
PWN = "<script>function pwn(x) { document.documentElement.setAttribute('data-pwned', x); }</script>"
#: (label, payload): tags that run on load, a script end tag, and quotes that leave an attribute.
PAYLOADS = {
    "short": "<svg onload=top.pwn(1)>",
    "svg": f"<svg onload={MARK.format('svg')}>",
    "img": f"<img src=x onerror={MARK.format('img')}>",
    "script": f"</script><script>{MARK.format('script')}</script>",
    "quote": f'"><img src=x onerror={MARK.format("quote")}>',
    "apostrophe": f"x' onmouseover='{MARK.format('apostrophe')}' y='",
}
#: A geocoder's name without angle brackets (those are refused on arrival), breaking out of quotes.
GEOCODER_NAME = f'Mosul" autofocus onfocus="{MARK.format("geocoder")}" x="'
#: Clicks every marker and shape of the page (and of its frames) in turn, as a reader would,
#: and keeps a copy of each popup it opens, so that the dumped DOM shows what they held.
OPEN_EVERYTHING = """
addEventListener('load', () => {
  const docs = [document, ...Array.from(frames).map(f => { try { return f.document; } catch (e) { return null; } })];
  const targets = docs.filter(Boolean).flatMap(d => Array.from(
    d.querySelectorAll('.leaflet-marker-icon, path.leaflet-interactive')).map(el => [d, el]));
  let k = 0;
  const next = () => {
    if (k >= targets.length) return;
    const [d, el] = targets[k++];
    el.dispatchEvent(new MouseEvent('click', {bubbles: true}));
    setTimeout(() => {
      d.querySelectorAll('.leaflet-popup-content').forEach(p => {
        const copy = d.createElement('div');
        copy.className = 'seen-popup';
        copy.textContent = p.textContent;
        d.body.append(copy);
      });
      next();
    }, 60);
  };
  setTimeout(next, 300);
});
"""


def html_article() -> str:
    """An HTML article: payloads (as text) in its title, metadata and body, around real places."""
    text = " ".join(
        f"Fighting reached Mosul and Baghdad in Iraq. A reader wrote {p} about Erbil." for p in PAYLOADS.values()
    )
    escaped = {k: v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
               for k, v in PAYLOADS.items()}  # fmt: skip
    return (
        f"<html><head><title>{escaped['svg']} News</title>"
        f'<meta name="author" content="{escaped["img"]}"><meta property="article:published_time" content="{escaped["quote"]}">'
        f'<meta property="og:site_name" content="{escaped["script"]}"></head>'
        f"<body><article><h1>{escaped['svg']}</h1><p>{escaped['apostrophe']}</p>"
        f"<p>{text.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')}</p></article></body></html>"
    )


def toml_string(value: str) -> str:
    return json.dumps(value)  # a JSON string is a TOML basic string


@pytest.fixture
def geocoder(httpserver: HTTPServer) -> Iterator[str]:
    """A Nominatim stand-in that answers every query with Mosul under a hostile name."""
    record = {
        "place_id": 1, "osm_type": "relation", "osm_id": 5812447, "lat": "36.34", "lon": "43.13",
        "class": "boundary", "type": "administrative", "place_rank": 16, "importance": 0.65, "addresstype": "city",
        "name": GEOCODER_NAME, "display_name": f"{GEOCODER_NAME}, Iraq",
        "address": {"city": GEOCODER_NAME, "country": "Iraq", "country_code": "iq"},
        "boundingbox": ["36.2", "36.5", "43.0", "43.3"],
    }  # fmt: skip
    httpserver.expect_request("/search").respond_with_json([record])
    yield f"{httpserver.host}:{httpserver.port}"


@pytest.fixture
def built(tmp_path: Path, geocoder: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project whose every text channel carries a payload, built in every format."""
    monkeypatch.setenv("GEOMAP_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "story.html").write_text(html_article(), encoding="utf-8")
    plain = " ".join(f"Shelling hit Kirkuk and Tikrit. Someone posted {p} near Samarra." for p in PAYLOADS.values())
    (tmp_path / "articles" / "plain.txt").write_text(plain + "\n", encoding="utf-8")
    adds = ", ".join(
        f"{{ name = {toml_string(p)}, lat = 36.{k}, lon = 43.{k} }}" for k, p in enumerate(PAYLOADS.values())
    )
    (tmp_path / "geomap.toml").write_text(
        f'output_dir = "maps"\ntitle = {toml_string(PAYLOADS["svg"] + " report")}\n\n'
        # Leaflet inlined: there is no network to fetch it from (and the page a PNG is shot from is such a page).
        '[defaults]\ntiles = "none"\ninline_assets = true\nformats = ["html", "fragment", "iframe", "geojson"]\n'
        f"add = [{adds}]\n\n"
        '[[map]]\narticle = "articles/story.html"\nname = "story"\n\n'  # its title is the article's own
        f'[[map]]\narticle = "articles/plain.txt"\nname = "plain"\ntitle = {toml_string(PAYLOADS["img"])}\n\n'
        '[[map]]\narticle = "articles/plain.txt"\nname = "online"\ngeocoder = "nominatim"\n'
        f'geocoder_options = {{ domain = "{geocoder}", scheme = "http", user_agent = "geomap-test", min_delay = "0" }}\n',
        encoding="utf-8",
    )
    result = proj.build(proj.load(tmp_path / "geomap.toml"))
    assert result.summary() == "built 3, skipped 0, failed 0", [o.reason for o in result.failed]
    return tmp_path / "maps"


def browse(page: str) -> str:
    """The DOM Chromium leaves once every popup and tooltip has been opened."""
    page = re.sub(r"<head>|<body>", lambda m: m.group() + PWN, page, count=1, flags=re.IGNORECASE)
    page = page.replace("</body>", f"<script>{OPEN_EVERYTHING}</script></body>", 1)
    dom, _ = run_chromium(page, "--dump-dom", "--virtual-time-budget=8000", "--window-size=1000,700")
    return dom


def host(snippet: str) -> str:
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body><h1>Report</h1>{snippet}</body></html>"


def ran(dom: str) -> str | None:
    """Which payload marked the top document's <html>, if any."""
    top = re.match(r"\s*(?:<!DOCTYPE[^>]*>\s*)?<html[^>]*>", dom, re.IGNORECASE)
    assert top, dom[:200]
    mark = re.search(r"data-pwned=\"([^\"]*)\"", top.group())
    return mark.group(1) if mark else None


def assert_inert(dom: str, *shown: str) -> None:
    assert ran(dom) is None, f"the {ran(dom)} payload ran"
    for text in shown:  # the hostile text reached the page, as text
        assert text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in dom, text


@pytest.mark.parametrize("name", ["story", "plain", "online"])
def test_pages_and_fragments_show_markup_as_text(built: Path, name: str) -> None:
    page = (built / f"{name}.html").read_text(encoding="utf-8")
    dom = browse(page)
    if name == "online":  # the stand-in's answer names the added places as well as the article's
        assert_inert(dom, 'Mosul" autofocus onfocus="')
    else:  # correction names label markers and fill popups; the article's sentences fill popups
        assert_inert(dom, PAYLOADS["svg"], PAYLOADS["img"], PAYLOADS["short"], "x' onmouseover='")
    if name == "story":  # the HTML article's own title and metadata, as the map's title and caption
        article = geomap.read(built.parent / "articles" / "story.html")
        assert article.title and "<svg onload" in article.title
        assert_inert(dom, article.title)
    assert_inert(browse(host((built / f"{name}.fragment.html").read_text(encoding="utf-8"))), PAYLOADS["svg"])


@pytest.mark.parametrize("name", ["story", "plain"])
def test_iframes_keep_markup_inert_inside_srcdoc(built: Path, name: str) -> None:
    snippet = (built / f"{name}.iframe.html").read_text(encoding="utf-8")
    assert snippet.lstrip().startswith("<iframe") and "srcdoc=" in snippet
    # The frame's document is same-origin with the host: a payload in it would mark the host.
    dom = browse(host(snippet))
    assert ran(dom) is None, f"the {ran(dom)} payload ran"
    assert "<iframe" in dom


def test_the_build_index_shows_titles_as_text(built: Path) -> None:
    dom = browse((built / "index.html").read_text(encoding="utf-8"))
    assert_inert(dom, f"{PAYLOADS['svg']} report", PAYLOADS["img"])  # the project's and a map's title


def test_geojson_carries_markup_as_plain_data(built: Path) -> None:
    names = {
        f["properties"]["name"] for f in json.loads((built / "story.geojson").read_text(encoding="utf-8"))["features"]
    }
    assert set(PAYLOADS.values()) <= names  # unchanged: GeoJSON is data, escaping is the reader's job
    assert os.path.getsize(built / "story.geojson") > 0
