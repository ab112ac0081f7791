"""Shapes (geomap.maps.shapes) and the Folium map (geomap.maps.render), checked in the HTML text;
tests/test_browser.py checks what Chromium makes of it."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from shapely import make_valid
from shapely.geometry import Point, Polygon, shape
from shapely.geometry.base import BaseGeometry

from geomap.errors import GeomapError
from geomap.gazetteer import ATTRIBUTION, Gazetteer
from geomap.maps.detail import detail
from geomap.maps.framing import Room, frame, name_anchor, view_bounds
from geomap.maps.panels import title_panel, with_caption
from geomap.maps.popup import popup_html
from geomap.maps.render import make_map
from geomap.maps.shapes import APPROXIMATE, PRECISION, attach_shapes, city_radius_km, direction, is_central
from geomap.maps.symbols import COLOURS, GLYPHS, part_tones, shape_style
from geomap.model import KINDS, Article, Mention, Place, Sentence


def by_id(places: list[Place]) -> dict[str, Place]:
    return {p.id: p for p in places}


def render(places: list[Place], **options: Any) -> str:
    return make_map(places, **options).get_root().render()


def outline(place: Place) -> BaseGeometry:
    assert place.geometry is not None, place.name
    return shape(dict(place.geometry))


# -- shapes ------------------------------------------------------------------


def test_east_and_west_mosul_lie_on_either_side_of_the_tigris(render_scene: tuple[Article, list[Place]]) -> None:
    _, places = render_scene
    mosul = next(p for p in places if p.kind == "city" and p.name == "Mosul")
    east, west = (outline(by_id(places)[f"{mosul.id}#{side}"]) for side in ("east", "west"))
    tigris = outline(next(p for p in places if p.kind == "river"))
    city = outline(mosul)
    assert east.intersection(west).area < 1e-9
    assert east.union(west).symmetric_difference(city).area < 0.01 * city.area
    seam = east.boundary.intersection(west.boundary)
    assert seam.length > 0.05 and tigris.buffer(1e-4).contains(seam)
    assert east.centroid.x > tigris.interpolate(tigris.project(east.centroid)).x
    assert west.centroid.x < tigris.interpolate(tigris.project(west.centroid)).x
    for side in ("east", "west"):
        district = by_id(places)[f"{mosul.id}#{side}"]
        assert outline(district).contains(Point(district.lon, district.lat))
        assert district.note and district.note.startswith(APPROXIMATE) and "Tigris" in district.note


def test_old_city_is_a_small_disc_at_the_centre(render_scene: tuple[Article, list[Place]]) -> None:
    _, places = render_scene
    mosul = next(p for p in places if p.kind == "city" and p.name == "Mosul")
    old = outline(by_id(places)[f"{mosul.id}#old-city"])
    assert old.contains(Point(mosul.lon, mosul.lat))
    assert old.area < 0.1 * outline(mosul).area


def test_a_city_with_no_river_is_cut_through_its_centre() -> None:
    gazetteer = Gazetteer()
    riyadh = next(c for c in gazetteer.candidates("Riyadh") if c.kind == "city")
    assert gazetteer.nearby(riyadh.lat, riyadh.lon, city_radius_km(riyadh.population)) == []
    sentence = Sentence(0, 12, "east Riyadh.")
    city = Place(riyadh.id, "Riyadh", "city", riyadh.lat, riyadh.lon, (), 0.9, population=riyadh.population)
    east = Place(
        f"{riyadh.id}#east",
        "East Riyadh",
        "district",
        riyadh.lat,
        riyadh.lon,
        (Mention("east Riyadh", 0, 11, "Riyadh", sentence, qualifier="east"),),
        0.9,
        parent=riyadh.id,
    )
    shaped_city, shaped_east = attach_shapes([east, city], gazetteer)[::-1]
    area, half = outline(shaped_city), outline(shaped_east)
    assert half.area == pytest.approx(area.area / 2, rel=0.01)
    assert half.bounds[0] == pytest.approx(riyadh.lon, abs=1e-4) and shaped_east.lon > riyadh.lon


def test_city_areas_grow_with_population_and_are_clamped() -> None:
    assert city_radius_km(0) == 1.0
    assert city_radius_km(100_000) < city_radius_km(1_000_000) < city_radius_km(5_000_000)
    assert city_radius_km(10**9) == 30.0


@pytest.mark.parametrize(
    ("qualifier", "expected"),
    [("east", (1, 0)), ("western", (-1, 0)), ("the west side", (-1, 0)), ("north-eastern", (0.7071, 0.7071)),
     ("old city", None), (None, None)],
)  # fmt: skip
def test_directions(qualifier: str | None, expected: tuple[float, float] | None) -> None:
    got = direction(qualifier)
    assert got == expected if expected is None else got == pytest.approx(expected, abs=1e-4)


def test_central_qualifiers() -> None:
    assert all(map(is_central, ["old city", "downtown", "city centre", "central"]))
    assert not any(map(is_central, ["east", "western", None]))


def test_outlines_come_from_the_gazetteer_rounded(render_scene: tuple[Article, list[Place]]) -> None:
    _, places = render_scene
    iraq = next(p for p in places if p.kind == "country" and p.name == "Iraq")
    assert iraq.geometry is not None and iraq.geometry["type"] in ("Polygon", "MultiPolygon")
    numbers = re.findall(r"-?\d+\.\d+", str(iraq.geometry["coordinates"]))
    assert numbers and all(len(n.split(".")[1]) <= PRECISION for n in numbers)
    given = replace(iraq, geometry={"type": "Point", "coordinates": [43.123456789, 33.1]})
    assert dict(attach_shapes([given], Gazetteer())[0].geometry or {})["coordinates"] == [43.12346, 33.1]


# -- the map -----------------------------------------------------------------


def focusable(page: str) -> int:
    """Elements a keyboard reaches, one per place drawn: markers (a town's symbol, an area's
    name) and lines that stand for their place (a river)."""
    return page.count("keyboard: true,") + page.count('path.setAttribute("role", "button")')


def test_exactly_one_focusable_element_per_place(render_scene: tuple[Article, list[Place]]) -> None:
    article, places = render_scene
    page = render(places, article=article, tiles=None)
    assert focusable(page) == len(places)
    assert page.count('path.setAttribute("role", "button")') == 1  # the Tigris, a line with no symbol
    assert "geomap-marker geomap-country" not in page  # countries are names on their areas, not squares
    assert page.count('"className": "geomap-marker geomap-name geomap-name-country"') == 2


def test_names_of_areas_go_on_their_areas_off_the_towns(render_scene: tuple[Article, list[Place]]) -> None:
    """Iraq's name is written inside Iraq, in the part in view, away from Mosul's symbol and label."""
    _, places = render_scene
    framing = frame(places)
    iraq = next(p for p in places if p.name == "Iraq")
    mosul = next(p for p in places if p.name == "Mosul" and p.kind == "city")
    room = Room(framing.view)
    room.town(mosul)
    lat, lon = name_anchor(iraq, framing.view, room)
    assert outline(iraq).contains(Point(lon, lat)) and not room.used().contains(Point(lon, lat))
    assert Room(framing.view).used(outline(iraq)).is_empty  # nothing taken yet: nothing to keep off
    assert room.used(Point(lon, lat)).is_empty and room.used(outline(iraq)).equals(room.used())
    (south, west), (north, east) = framing.view
    assert south < lat < north and west < lon < east


def test_an_outline_that_crosses_itself_still_gets_its_name() -> None:
    """A gazetteer outline may cross itself once rounded; GEOS refuses to cut such a shape."""
    bow_tie = {"type": "Polygon", "coordinates": [[[0.0, 0.0], [2.0, 2.0], [2.0, 0.0], [0.0, 2.0], [0.0, 0.0]]]}
    county = Place("x", "Bow", "region", 1.0, 1.0, (), 1.0, geometry=bow_tie)
    room = Room([[-1.0, -1.0], [3.0, 3.0]])
    room.name(1.0, 1.5, "city", "Somewhere")
    lat, lon = name_anchor(county, [[-1.0, -1.0], [3.0, 3.0]], room)
    assert make_valid(shape(bow_tie)).contains(Point(lon, lat))


def test_parts_of_a_city_get_two_tones_and_a_core(render_scene: tuple[Article, list[Place]]) -> None:
    _, places = render_scene
    tones = part_tones(places)
    mosul = next(p for p in places if p.name == "Mosul" and p.kind == "city")
    assert {tones[f"{mosul.id}#east"], tones[f"{mosul.id}#west"]} == {0, 1} and tones[f"{mosul.id}#old-city"] == 2
    fills = {shape_style(p, tones[p.id])["fillOpacity"] for p in places if p.kind == "district"}
    assert len(fills) == 3


def test_a_city_whose_parts_are_too_small_at_the_frame_gets_a_detail_inset(
    render_scene: tuple[Article, list[Place]],
) -> None:
    _, places = render_scene
    framing = frame(places)
    inset = detail(framing.in_view, framing.bounds, (1200, 800), (60, 90, 250, 50))
    assert inset is not None and inset.town.name == "Mosul"
    assert {p.name for p in inset.parts} == {"East Mosul", "West Mosul", "Old City of Mosul"}
    assert [name for name, _, _ in inset.rivers] == ["Tigris"]
    (south, west), (north, east) = inset.bounds
    for part, (lat, lon) in zip(inset.parts, inset.anchors, strict=True):
        assert outline(part).contains(Point(lon, lat)), part.name  # each name on its own part
    assert north - south < 0.5 and east - west < 0.5  # the town, not the frame
    # Framed on the town alone, the parts are big enough: no inset.
    town = [p for p in places if p.kind in ("city", "district") and p.name != "Ar Raqqah"]
    assert detail(town, frame(town).bounds, (1200, 800), (60, 90, 250, 50)) is None
    page = render(places, tiles=None)
    assert page.count("geomap-detail") >= 1 and '"Detail of Mosul: ' in page


def test_popup_quotes_the_sentence_with_the_mention_marked_and_escaped(
    render_scene: tuple[Article, list[Place]],
) -> None:
    article, places = render_scene
    old_city = next(p for p in places if p.name == "Old City of Mosul")
    popup = popup_html(old_city)
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in popup
    assert "<mark>Mosul&#39;s Old City</mark> &amp; its bridges" in popup
    assert "<script" not in popup
    mosul = next(p for p in places if p.kind == "city" and p.name == "Mosul")
    assert popup_html(mosul).count("<mark>Mosul</mark>") == 2
    assert 'role="dialog"' in popup and 'tabindex="-1"' in popup and 'aria-label="Old City of Mosul' in popup
    for fact in ("Part of a city", "Iraq", "confidence 90%", "geocoder: offline"):
        assert fact in popup
    assert "Part of Mosul · Iraq" in popup_html(old_city, "Mosul")
    page = render(places, article=article, tiles=None)
    assert "<script>alert" not in page


def test_template_syntax_in_an_article_stays_text() -> None:
    """Rendered parts are written as they are: branca would compile each as a Jinja template
    again, so that ``{{ ... }}`` quoted from an article or its title ran as code."""
    import geomap

    text = "Fighting in Mosul went on {{ 7 * 191 }} days. {% if true %}Baghdad{% endif %} was quiet."
    places = geomap.parse(Article(text=text, title="Day {{ 6 * 191 }} in {# Iraq #}"))
    page = render(list(places), article=places.article, tiles=None)
    for literal in ("{{ 7 * 191 }}", "{% if true %}", "Day {{ 6 * 191 }} in {# Iraq #}"):
        assert literal in page
    assert "1337" not in page and "1146" not in page
    tiled = render(list(places), tiles="https://{{ 6 * 7 }}.example.org/{z}/{x}/{y}.png")
    assert "https://{{ 6 * 7 }}.example.org/{z}/{x}/{y}.png" in tiled and "42.example" not in tiled


def test_same_input_gives_byte_identical_html_across_processes(
    render_scene: tuple[Article, list[Place]], tmp_path: Path
) -> None:
    article, places = render_scene
    code = (
        "import sys; sys.path.insert(0, 'tests'); import conftest, geomap.maps.render as r;"
        "a, p = conftest.build_render_scene();"
        "sys.stdout.write(r.make_map(p, article=a, tiles='OpenStreetMap').get_root().render())"
    )
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
            for _ in range(2)]  # fmt: skip
    assert runs[0] == runs[1] == render(places, article=article, tiles="OpenStreetMap")
    assert not re.search(r"_[0-9a-f]{32}\b", runs[0]), "a random folium id survived"


def test_ids_follow_the_content_or_the_given_map_id(render_scene: tuple[Article, list[Place]]) -> None:
    _, places = render_scene
    ids = lambda page: set(re.findall(r'id="(map_[A-Za-z0-9_]+)"', page))
    one, other = render(places, tiles=None), render(places[:3], tiles=None)
    assert ids(one) and ids(other) and not ids(one) & ids(other)
    assert ids(render(places, tiles=None, map_id="figure1")) == {"map_figure1"}
    with pytest.raises(GeomapError, match="map id"):
        make_map(places, map_id="no spaces")


def test_pages_are_self_contained_unless_cdn_is_asked_for(render_scene: tuple[Article, list[Place]]) -> None:
    _, places = render_scene
    inline = render(places, tiles=None)
    assert not re.search(r"<script[^>]+src=|<link[^>]+stylesheet", inline)
    assert "GeomapLabels.attach(" in inline and "geomapBasemap(" in inline and len(inline) > 150_000
    linked = render(places, tiles=None, cdn=True)
    assert re.search(r'<script src="https://[^"]+leaflet\.js"', linked)
    assert len(linked) < len(inline) - 100_000 and "geomapBasemap(" in linked


def test_basemap_choice(render_scene: tuple[Article, list[Place]]) -> None:
    _, places = render_scene
    assert "tile.openstreetmap.org" in render(places, tiles="OpenStreetMap")
    assert "L.tileLayer" not in render(places, tiles=None)
    assert "L.tileLayer" not in render(places, tiles="none")
    assert "opentopomap.org" in render(places, tiles="OpenTopoMap")
    with pytest.raises(GeomapError, match="unknown tiles"):
        make_map(places, tiles="No Such Tiles")


def test_title_caption_attribution_legend_and_layers(render_scene: tuple[Article, list[Place]]) -> None:
    article, places = render_scene
    page = render(places, article=article, tiles=None, title="Battle for <Mosul>")
    assert "<title>Battle for &lt;Mosul&gt;</title>" in page
    assert "Battle for \\u0026lt;Mosul\\u0026gt;" in page  # escaped, then JSON-encoded into the panel
    assert "example.org/news/mosul" in page and "2017-07-10" in page
    assert ATTRIBUTION.replace('"', '\\"') in page
    for layer in ('"Places"', '"Regions"', '"Rivers and lakes"'):
        assert layer in page
    assert "Part of a city" in page and "Estimated area" in page and "Lake" not in page
    assert render(places, article=article, tiles=None).count("<title>Mosul retaken</title>") == 1


def test_the_caption_names_the_publisher_and_date_and_the_maps_credit() -> None:
    def caption(article: Article, credit: str | None = None) -> str:
        panel = title_panel("T", article, credit)
        assert panel is not None
        return re.sub(r"<[^>]+>", "", str(panel).split('class="geomap-caption">', 1)[1]).strip()

    story = Article("text", source="https://www.example.org/news/1", date="2017-06-29", publisher="Daily Caller")
    assert caption(story, "Map: J. Doe") == "Source: Daily Caller, 2017-06-29 · Map: J. Doe"
    assert 'href="https://www.example.org/news/1"' in str(title_panel("T", story))
    assert caption(replace(story, publisher=None)) == "Source: example.org, 2017-06-29"  # only the URL is known
    local = Article("text", source="/home/me/mosul.txt", date=None)
    assert title_panel("T", local) is not None and "mosul.txt" not in str(
        title_panel("T", local)
    )  # a file is no source
    assert title_panel(None, local) is None
    given = with_caption(local, "Daily Caller", "2017-06-29")
    assert caption(given) == "Source: Daily Caller, 2017-06-29"
    assert caption(with_caption(story, date="2017-07-01")) == "Source: Daily Caller, 2017-07-01"
    assert caption(replace(local, date="2017-06-29")) == "Published 2017-06-29"
    assert "&lt;b&gt;" in str(title_panel("T", local, "<b>me</b>"))


def test_palette_and_shapes_differ_for_every_kind() -> None:
    assert set(COLOURS) == set(GLYPHS) == set(KINDS)
    assert len(set(COLOURS.values())) == len(KINDS) and len(set(GLYPHS.values())) == len(KINDS)


def test_a_passing_mention_of_a_far_place_does_not_zoom_the_map_out(render_scene: tuple[Article, list[Place]]) -> None:
    _, places = render_scene
    sentence = Sentence(0, 20, "Affiliates in Manila.")
    manila = Place("test:manila", "Manila", "city", 14.6, 121.0, (Mention("Manila", 14, 20, "Manila", sentence),), 0.8)
    (south, west), (north, east) = view_bounds([*places, manila])
    assert east < 60 and view_bounds(places) == [[south, west], [north, east]]
    page = render([*places, manila], tiles=None)
    assert focusable(page) == len(places)  # Manila is listed beside the map, not drawn off it
    assert "Also mentioned" in page and "Manila" in page and "km east" in page
    assert "Also mentioned" not in render(places, tiles=None)
    countries = [p for p in places if p.kind == "country"]
    far = replace(countries[0], id="test:far", lat=-30.0, lon=140.0, geometry=None)
    framing = frame([*countries, far])
    assert framing.far == (far,) and framing.in_view == tuple(countries)  # no town: the group most mentioned


def test_a_place_mentioned_once_far_from_the_others_does_not_stretch_the_frame() -> None:
    """Storms from Iowa to Ohio: a town mentioned once 1000 km away is listed, not framed;
    one mentioned once near a town mentioned more is framed; a country whose outline reaches
    the frame is in view, wherever its point lies."""
    sentence = Sentence(0, 10, "Storm news.")
    text = sentence.text

    def town(name: str, lat: float, lon: float, mentions: int) -> Place:
        said = tuple(Mention(text, 0, 5, name, sentence) for _ in range(mentions))
        return Place(f"test:{name}", name, "city", lat, lon, said, 0.9)

    story = [town("Des Moines", 41.6, -93.6, 2), town("Peoria", 40.69, -89.59, 3), town("Columbus", 39.96, -83.0, 2)]
    norman, dayton = town("Norman", 35.22, -97.44, 1), town("Dayton", 39.28, -84.2, 1)
    outline = {
        "type": "Polygon",
        "coordinates": [[[-95.0, 41.5], [-80.0, 41.5], [-80.0, 60.0], [-95.0, 60.0], [-95.0, 41.5]]],
    }
    canada = replace(town("Canada", 60.0, -95.0, 1), kind="country", geometry=outline)
    framing = frame([*story, norman, dayton, canada])
    assert framing.bounds == [[39.28, -93.6], [41.6, -83.0]]
    assert framing.far == (norman,) and framing.in_view == (*story, dayton, canada)


# -- the reference article, end to end -----------------------------------------


def test_mosul_article_east_and_west_mosul_straddle_the_tigris(mosul_shaped: tuple[Article, list[Place]]) -> None:
    _, places = mosul_shaped
    districts = {p.name: p for p in places if p.kind == "district"}
    tigris = outline(next(p for p in places if p.kind == "river" and p.name == "Tigris"))
    east, west = outline(districts["East Mosul"]), outline(districts["West Mosul"])
    assert east.intersection(west).area < 1e-9
    assert tigris.buffer(1e-4).contains(east.boundary.intersection(west.boundary))
    for piece, sign in ((east, 1), (west, -1)):
        nearest = tigris.interpolate(tigris.project(piece.centroid))
        assert sign * (piece.centroid.x - nearest.x) > 0


def test_mosul_article_map_has_one_marker_per_place_in_view_and_lists_the_far_ones(
    mosul_shaped: tuple[Article, list[Place]],
) -> None:
    article, places = mosul_shaped
    page = render(places, article=article, tiles=None)
    framing = frame(places)
    assert focusable(page) == len(framing.in_view) == len({p.id for p in framing.in_view})
    assert page.count('"className": "geomap-river"') == 1
    assert {p.name for p in framing.far} == {"United States", "Afghanistan", "Philippines", "Africa"}


def test_the_label_placer_gets_one_item_per_place_in_view(render_scene: tuple[Article, list[Place]]) -> None:
    """Towns with their symbol's size, areas with their outline in reach of the view and no
    symbol, rivers with their line; the article's form of each name; the main place larger."""
    from geomap.maps.basemap import Frame, fit
    from geomap.maps.labels import label_items

    places = [replace(p, name="Raqqa", gazetteer_name=p.name) if p.name == "Ar Raqqah" else p for p in render_scene[1]]
    framing = frame(places)
    (south, west), (north, east) = framing.bounds
    view = fit(Frame(south, west, north, east), (1200, 800))
    ranked = sorted(framing.in_view, key=lambda p: (-len(p.mentions), p.id))
    items = label_items(ranked, {}, view)
    assert [item["id"] for item in items] == [p.id for p in ranked]
    by_name = {item["text"]: item for item in items}
    assert "Raqqa" in by_name and "Ar Raqqah" not in by_name  # the article's form
    assert by_name["Mosul"]["kind"] == "point" and by_name["Mosul"]["className"] == "geomap-lbl-major"
    assert by_name["Raqqa"] == {"id": by_name["Raqqa"]["id"], "text": "Raqqa", "priority": 1, "kind": "point",
                                "latlng": by_name["Raqqa"]["latlng"], "size": [16, 16]}  # fmt: skip
    iraq = by_name["Iraq"]
    assert iraq["kind"] == "area" and "className" not in iraq and len(iraq["rings"][0]) > 10
    assert all(ring[0] == ring[-1] for ring in iraq["rings"])
    assert by_name["East Mosul"]["className"] == "geomap-lbl-district" and by_name["East Mosul"]["rings"]
    tigris = by_name["Tigris"]
    assert tigris["kind"] == "line" and len(tigris["line"]) > 5 and "rings" not in tigris
    frame_ = view.frame
    assert any(frame_.south <= lat <= frame_.north and frame_.west <= lon <= frame_.east for lat, lon in tigris["line"])
    # Outlines reach three times the view at most, and are simplified to about a pixel.
    lats = [lat for ring in iraq["rings"] for lat, _ in ring]
    assert min(lats) >= frame_.south - (frame_.north - frame_.south) - 1e-6
    drawn = outline(next(p for p in places if p.name == "Iraq"))
    assert isinstance(drawn, Polygon) and sum(map(len, iraq["rings"])) < len(drawn.exterior.coords)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Dozens of migrants died of thirst crossing the Sahara this year.", "other"),
        ("Floods have displaced millions across Pakistan this summer.", "country"),
    ],
)
def test_a_story_of_one_area_opens_on_the_whole_area(text: str, kind: str) -> None:
    """Not a few kilometres around the outline's centre: the outline is what the story is about."""
    import geomap

    (place,) = attach_shapes(list(geomap.parse(text)), geomap.default_gazetteer())
    assert place.kind == kind and place.geometry is not None
    (south, west), (north, east) = view_bounds([place])
    x0, y0, x1, y1 = shape(dict(place.geometry)).bounds
    assert (south, west, north, east) == pytest.approx((y0, x0, y1, x1), abs=0.01)


TIBET = (
    "Earthquake shakes Tibet\n\nLHASA, China (AP) — A strong earthquake struck Tibet near Shigatse on Tuesday, "
    "killing at least 126 people and toppling homes across the region, Chinese state media said.\n\nThe quake was "
    "felt in Kathmandu, the capital of neighbouring Nepal, and as far away as Bhutan. Rescuers from Sichuan and "
    "Qinghai drove through the night along the road from Lhasa. Climbers on Everest reported avalanches on the "
    "northern side of the mountain.\n"
)


def test_a_place_in_the_frames_bottom_left_corner_is_not_left_under_the_legend() -> None:
    """Everest lies in the frame's bottom left corner: the frame rises above the legend, as it
    does not for a map with nothing there (the Mosul map keeps its frame)."""
    import geomap
    from geomap.maps.framing import frame
    from geomap.maps.render import MARKER_MARGIN_PX, PAGE_SIZE, _under_legend

    padding = (60, 90, 230, 50)
    framing = frame(geomap.parse(TIBET))
    legend_px = _under_legend(framing.in_view, framing.bounds, PAGE_SIZE, padding)
    assert legend_px > 0
    raised = (*padding[:3], legend_px + MARKER_MARGIN_PX)
    assert _under_legend(framing.in_view, framing.bounds, PAGE_SIZE, raised) == 0
    html = geomap.make_map(geomap.parse(TIBET)).get_root().render()
    bottom = re.search(r'"paddingBottomRight": \[\d+, (\d+)\]', html)
    assert bottom is not None and int(bottom.group(1)) > padding[3]  # the page fits the raised frame
    mosul = frame(geomap.parse(Path("data/articles/mosul.txt").read_text(encoding="utf-8")))
    assert _under_legend(mosul.in_view, mosul.bounds, PAGE_SIZE, padding) == 0
