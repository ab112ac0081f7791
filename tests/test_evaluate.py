"""The evaluation harness: corpus readers, measures worked out by hand, and the Mosul gold."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from geomap.cli import main
from geomap.errors import GeomapError
from geomap.geo import great_circle_km
from geomap.model import Mention, Place
from geomap.text import split_sentences
from geomap.tools.corpora import read_corpus
from geomap.tools.evaluate import auc, evaluate

DATA = Path(__file__).parent / "data"
MOSUL_GOLD = DATA / "mosul.gold.jsonl"
TINY = DATA / "tiny.gold.jsonl"

# One degree of arc on geopy's great circle (radius 6371.009 km): 6371.009 * pi / 180.
DEGREE_KM = 111.19508372419142


# -- a hand-made prediction for the tiny corpus ------------------------------------------


def _place(name: str, text: str, spans: list[tuple[int, int]], lat: float, lon: float) -> Place:
    sentence = split_sentences(text)[0]
    mentions = tuple(Mention(text[s:e], s, e, name=text[s:e], sentence=sentence) for s, e in spans)
    return Place(id=f"test:{name}", name=name, kind="city", lat=lat, lon=lon, mentions=mentions, confidence=1.0)


def _fake_parser(text: str) -> list[Place]:
    """What a imperfect geoparser might say about each tiny article (gold in tiny.gold.jsonl)."""
    if text.startswith("Flooding"):
        # gold: Kampala 12-19 (0, 32), Entebbe 30-37 (0, 32.5), Jinja 42-47 (0, 33), Kampala 57-64 (0, 32)
        return [
            _place("Kampala", text, [(12, 19), (57, 64)], 0.0, 32.0),  # two mentions, both exact: 2 TP, 0 km each
            _place("Entebbe", text, [(30, 37)], 0.0, 34.5),  # exact span, 2 degrees east: 222.39 km
        ]  # Jinja is missed
    if text.startswith("On Friday"):
        # gold: Nairobi 32-39 (0, 37), Lake Victoria 43-56 (0, 33)
        return [
            _place("Friday", text, [(3, 9)], 10.0, 10.0),  # not a place: FP
            _place("Nairobi", text, [(32, 39)], 0.0, 38.0),  # exact span, 1 degree east: 111.20 km
            _place("Victoria", text, [(48, 56)], 0.0, 33.0),  # overlaps "Lake Victoria": strict FP + FN, lenient TP
        ]
    # gold: Kisumu 13-19 (0, 34.75); "Ugandan" 28-35 has no coordinates: unscored
    return [
        _place("Kisumu", text, [(13, 19)], 0.0, 35.75),  # exact span, 1 degree east: 111.20 km
        _place("Uganda", text, [(28, 35)], 1.0, 32.0),  # on the unscored span: neither TP nor FP
        _place("Lincoln", text, [(54, 61)], 40.8, -96.7),  # "Lincoln Hotel": FP
    ]


def test_measures_on_a_hand_made_corpus() -> None:
    corpus = read_corpus(TINY)
    report = evaluate(corpus, parser=_fake_parser)
    assert (report.articles, report.gold, report.unscored) == (3, 7, 1)
    # Predictions that count: 2 + 1 (a) + 3 (b) + 2 (c, "Ugandan" ignored) = 8.
    assert report.predicted == 8
    # Strict: TP = Kampala x2, Entebbe, Nairobi, Kisumu = 5; FP = Friday, Victoria, Lincoln = 3;
    # FN = Jinja, Lake Victoria = 2. P = 5/8, R = 5/7, F1 = 2*5 / (2*5 + 3 + 2) = 10/15.
    assert (report.strict.tp, report.strict.fp, report.strict.fn) == (5, 3, 2)
    assert report.strict.precision == pytest.approx(5 / 8)
    assert report.strict.recall == pytest.approx(5 / 7)
    assert report.strict.f1 == pytest.approx(10 / 15)
    # Lenient: "Victoria" now pairs with "Lake Victoria": TP 6, FP 2, FN 1; F1 = 12 / (12 + 2 + 1).
    assert (report.lenient.tp, report.lenient.fp, report.lenient.fn) == (6, 2, 1)
    assert report.lenient.precision == pytest.approx(6 / 8)
    assert report.lenient.recall == pytest.approx(6 / 7)
    assert report.lenient.f1 == pytest.approx(12 / 15)
    # Errors on the 5 strict matches: 0, 0, 2d, d, d with d = 111.195 km.
    res = report.resolution
    assert sorted(res.errors_km) == pytest.approx([0, 0, DEGREE_KM, DEGREE_KM, 2 * DEGREE_KM])
    assert res.accuracy == pytest.approx(4 / 5)  # only Entebbe (222 km) is beyond 161 km
    assert res.mean_km == pytest.approx(4 * DEGREE_KM / 5)  # 88.956 km
    assert res.median_km == pytest.approx(DEGREE_KM)
    # AUC: y = ln(1 + err) sorted = [0, 0, 4.720239, 4.720239, 5.408920];
    # trapezoids = 0 + 2.360120 + 4.720239 + 5.064580 = 12.144938; / (4 * ln 20039 = 39.621745) = 0.306522.
    assert res.auc == pytest.approx(0.306522, abs=1e-6)
    # Mistakes: Entebbe off by 222 km, the false positives and the misses, worst resolution first.
    kinds = [(m.kind, m.text) for m in report.mistakes]
    assert kinds[0] == ("resolution", "Entebbe")
    assert sorted(t for k, t in kinds if k == "false_positive") == ["Friday", "Lincoln", "Victoria"]
    assert sorted(t for k, t in kinds if k == "miss") == ["Jinja", "Lake Victoria"]
    assert report.top("false_positive") == [("Friday", 1), ("Victoria", 1), ("Lincoln", 1)]


def test_auc_and_distance_edge_cases() -> None:
    assert math.isnan(auc([]))
    assert auc([0.0]) == 0.0
    assert auc([20039.0, 20039.0]) == pytest.approx(math.log(20040) / math.log(20039))  # the antipode every time
    assert great_circle_km(0, 0, 0, 180) == pytest.approx(math.pi * 6371.009)


def test_a_perfect_parser_scores_perfectly() -> None:
    corpus = read_corpus(TINY)

    def oracle_parser(text: str) -> list[Place]:
        article = next(a for a in corpus if a.text == text)
        return [_place(t.name, text, [(t.start, t.end)], t.lat, t.lon) for t in article.toponyms
                if t.lat is not None and t.lon is not None]  # fmt: skip

    report = evaluate(corpus, parser=oracle_parser)
    assert (report.strict.precision, report.strict.recall, report.strict.f1) == (1.0, 1.0, 1.0)
    assert (report.resolution.accuracy, report.resolution.mean_km, report.resolution.auc) == (1.0, 0.0, 0.0)
    assert report.mistakes == []


def test_same_id_and_inside_the_outline_tell_a_right_place_at_another_point() -> None:
    """GeoWebNews gives Paris and Russia their GeoNames ids. A parser that puts Russia at another
    point than the gold's (GeoNames puts it at 60N 100E) is 500 km off, yet names the right place,
    whose outline holds the gold point; one that picks a namesake has neither."""
    (article,) = read_corpus(DATA / "tiny.gwn.xml")
    russia_outline = {"type": "Polygon", "coordinates": [[[30, 45], [180, 45], [180, 78], [30, 78], [30, 45]]]}

    def parser(russia_id: str) -> Callable[[str], list[Place]]:
        def parse(text: str) -> list[Place]:
            paris = replace(_place("Paris", text, [(3, 8)], 48.85341, 2.3488), id="geonames:2988507")
            russia = _place("Russia", text, [(10, 16)], 61.5, 108.0)
            return [paris, replace(russia, id=russia_id, kind="country", geometry=russia_outline)]

        return parse

    res = evaluate([article], parser=parser("geonames:2017370")).resolution
    assert res.errors_km[1] > 161 and res.accuracy == 0.5
    assert (res.with_id, res.id_accuracy) == (2, 1.0)
    assert (res.with_outline, res.inside_share, res.accuracy_or_inside) == (1, 1.0, 1.0)  # Paris has no outline
    namesake = {"type": "Polygon", "coordinates": [[[-80, 30], [-70, 30], [-70, 40], [-80, 40], [-80, 30]]]}
    wrong = evaluate([article], parser=lambda text: [replace(p, geometry=namesake) for p in parser("test:x")(text)])
    assert (wrong.resolution.id_accuracy, wrong.resolution.accuracy_or_inside) == (0.5, 0.5)
    (mistake,) = [m for m in wrong.mistakes if m.kind == "resolution"]
    assert (mistake.text, mistake.gold_geonames_id, mistake.inside) == ("Russia", 2017370, False)


def test_oracle_ids_and_outlines_come_from_the_gazetteer() -> None:
    (article,) = read_corpus(DATA / "tiny.gwn.xml")
    report = evaluate([article], parser=lambda text: [], oracle=True)
    assert report.oracle is not None
    assert report.oracle.with_id == 2 and report.oracle.same_id[1] is True  # Russia, geonames:2017370
    assert report.oracle.inside[1] is True and report.oracle.inside[0] is None  # Russia's outline; Paris is a point
    assert report.as_dict()["oracle"]["with_geonames_id"] == 2


def test_the_oracle_hands_every_gold_span_to_the_resolver_and_scores_the_scored_ones(tmp_path: Path) -> None:
    """ "Russian" is gold but unscored (a demonym): it is still the evidence that St. Petersburg
    is Russia's, as it is when the recogniser finds it."""
    text = "Debates began in St. Petersburg and other Russian cities."
    record = {"id": "x", "text": text, "toponyms": [
        {"start": 17, "end": 31, "name": "St. Petersburg", "lat": 59.94, "lon": 30.31},
        {"start": 42, "end": 49, "name": "Russian", "lat": 60.0, "lon": 100.0},
    ]}  # fmt: skip
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    report = evaluate(read_corpus(path), parser=lambda text: [], oracle=True)
    assert report.oracle is not None and report.gold == 1 and report.oracle.n == 1
    assert report.oracle.accuracy == 1.0


# -- readers -------------------------------------------------------------------------------


def test_geovirus_offsets_are_repaired_or_refused() -> None:
    corpus = read_corpus(DATA / "tiny.geovirus.xml")
    assert corpus.format == "geovirus"
    assert (corpus.offsets_repaired, corpus.offsets_dropped) == (2, 0)
    (article,) = corpus
    assert [(t.name, t.start, t.end) for t in article.toponyms] == [("Kampala", 20, 27), ("Entebbe", 31, 38)]
    assert all(article.text[t.start : t.end] == t.name for t in article.toponyms)
    with pytest.raises(GeomapError, match="reads 'ampala ', not 'Kampala'"):
        read_corpus(DATA / "tiny.geovirus.xml", offsets="strict")


def test_lgl_toponym_without_gazetteer_tag_or_a_demonym_is_unscored() -> None:
    corpus = read_corpus(DATA / "tiny.lgl.xml")
    alexandria, kelleyland, cuban = corpus[0].toponyms
    assert alexandria.scored and (alexandria.lat, alexandria.lon, alexandria.type) == (31.3113, -92.4451, "PPL")
    assert (alexandria.geonames_id, kelleyland.geonames_id, cuban.geonames_id) == (4314550, None, 3562981)
    assert not kelleyland.scored and cuban.scored
    # The gazetteer knows "Cuban" only as a demonym: unscored by default, scored on request.
    report = evaluate(corpus, parser=lambda text: [])
    assert (report.gold, report.unscored, report.strict.fn) == (1, 2, 1)
    assert evaluate(corpus, parser=lambda text: [], demonyms="scored").gold == 2


@pytest.mark.parametrize(
    ("types", "scored", "unscored"),
    [
        ("toponyms", ["Paris", "Russia"], ["Russian", "Nigerians"]),
        ("literal", ["Paris"], ["Russia", "Russian", "Nigerians"]),
        ("all", ["Paris", "Russia", "Russian"], ["Nigerians"]),
    ],
)
def test_geowebnews_type_sets(types: str, scored: list[str], unscored: list[str]) -> None:
    (article,) = read_corpus(DATA / "tiny.gwn.xml", gwn_types=types)  # type: ignore[arg-type]
    assert [t.name for t in article.toponyms if t.scored] == scored
    assert [t.name for t in article.toponyms if not t.scored] == unscored  # the homonym "Chicago" is dropped


def test_unreadable_corpora_fail_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(GeomapError, match="no corpus file"):
        read_corpus(tmp_path / "missing.xml")
    broken = tmp_path / "broken.xml"
    broken.write_text("<articles><article><text>Paris</text>", encoding="utf-8")
    with pytest.raises(GeomapError, match="cannot read .* as XML"):
        read_corpus(broken)
    bad_json = tmp_path / "bad.jsonl"
    bad_json.write_text('{"id": 1, "text": "Paris", "toponyms": [{"start": 0}]}\n', encoding="utf-8")
    with pytest.raises(GeomapError, match=r"bad.jsonl:1: bad article record"):
        read_corpus(bad_json)
    with pytest.raises(GeomapError, match="looks like geovirus, not lgl"):
        read_corpus(DATA / "tiny.geovirus.xml", "lgl")
    assert main(["eval", str(broken)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("geomap: error: cannot read") and err.count("\n") == 1


# -- the Mosul article ----------------------------------------------------------------------

#: Names in the article that are people, outlets or things, never places.
TRAPS = [
    "Russ Read", "Col. Pat Work", "Neil Patel", "Lincoln", "Tucker", "Fox News", "CNN", "Daily Caller",
    "New York Times", "Newsmax", "Daily Wire", "Iraqi", "Syrian", "Americans", "ISIS", "Islamic State",
]  # fmt: skip


def test_mosul_gold_file_is_exact_and_complete() -> None:
    corpus = read_corpus(MOSUL_GOLD, offsets="strict")
    (article,) = corpus
    assert article.id == "mosul" and corpus.offsets_repaired == 0
    tops = article.toponyms
    assert all(article.text[t.start : t.end] == t.name and t.scored for t in tops)
    # Every occurrence of each gold name is in the gold (no mention forgotten).
    for name in ("Mosul", "Iraq", "Syria", "Raqqa", "Afghanistan", "Africa", "Philippines", "America", "U.S."):
        found = [m.start() for m in re.finditer(rf"(?<![\w.]){re.escape(name)}(?![\w])", article.text)]
        assert found and all(any(t.start <= s < t.end for t in tops) for s in found), name
    for trap in TRAPS:
        for m in re.finditer(re.escape(trap), article.text):
            assert not any(t.start < m.end() and m.start() < t.end for t in tops), trap
    by_name = {t.name: (t.lat, t.lon) for t in tops if t.lat is not None and t.lon is not None}
    assert great_circle_km(*by_name["Mosul"], 36.34, 43.13) < 5
    assert great_circle_km(*by_name["Tigris river"], *by_name["Mosul"]) < 5  # the river where it meets the city
    assert by_name["east Mosul"][1] > by_name["Mosul’s Old City"][1] > by_name["western Mosul"][1]
    assert great_circle_km(*by_name["Raqqa"], 35.95, 39.01) < 5


def test_mosul_end_to_end_finds_every_place_and_nothing_else() -> None:
    report = evaluate(read_corpus(MOSUL_GOLD))
    misses = [m.text for m in report.mistakes if m.kind == "miss"]
    false_positives = [(m.text, m.start) for m in report.mistakes if m.kind == "false_positive"]
    far = [(m.text, m.predicted, m.error_km) for m in report.mistakes if m.kind == "resolution"]
    assert misses == [] and report.strict.recall == 1.0
    assert false_positives == [] and report.strict.fp == 0
    assert far == [] and report.resolution.accuracy == 1.0


def test_mosul_traps_are_not_recognised() -> None:
    import geomap

    text = read_corpus(MOSUL_GOLD)[0].text
    spans = [(m.start, m.end, m.text) for p in geomap.parse(text) for m in p.mentions]
    for trap in TRAPS:
        for t in re.finditer(re.escape(trap), text):
            hits = [s for s in spans if s[0] < t.end() and t.start() < s[1]]
            assert not hits, (trap, hits)


def test_mosul_oracle_resolution_within_161km() -> None:
    report = evaluate(read_corpus(MOSUL_GOLD), oracle=True)
    assert report.oracle is not None
    far = [(m.text, m.predicted, m.error_km) for m in report.mistakes if m.kind == "resolution" and m.oracle]
    assert far == [] and report.oracle.unresolved == 0 and report.oracle.accuracy == 1.0


def test_cli_prints_both_rankers_and_writes_mistakes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    errors = tmp_path / "errors.jsonl"
    assert main(["eval", str(TINY), str(MOSUL_GOLD), "--ranker", "both", "--json", "--errors", str(errors)]) == 0
    reports = json.loads(capsys.readouterr().out)
    assert [(r["corpus"], r["ranker"]) for r in reports] == [
        ("tiny.gold.jsonl", "context"), ("tiny.gold.jsonl", "population"),
        ("mosul.gold.jsonl", "context"), ("mosul.gold.jsonl", "population"),
    ]  # fmt: skip
    assert reports[2]["gold"] == 22 and reports[0]["gold"] == 7
    for line in errors.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        assert record["kind"] in ("false_positive", "miss", "resolution") and record["corpus"]
    assert main(["eval", str(MOSUL_GOLD), "--ranker", "both", "--oracle"]) == 0
    table = capsys.readouterr().out
    assert "recognition strict (headline)" in table and "population" in table and "oracle" in table
