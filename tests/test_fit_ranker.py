"""The weight fitter (geomap.tools.fit_ranker) on a few articles written for it and the real gazetteer."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from geomap.resolve.evidence import FEATURES, weights
from geomap.tools.corpora import GoldArticle, GoldToponym
from geomap.tools.fit_ranker import Example, examples, fit, half, log_likelihood, main

#: (text, [(name, lat, lon)]): the same names, different places, as context tells them apart.
ARTICLES = [
    ("Police in Paris said Tennessee roads were closed after the storm.",
     [("Paris", 36.30, -88.33), ("Tennessee", 35.86, -86.35)]),
    ("Flights from Paris to Lyon were cancelled as France faced strikes.",
     [("Paris", 48.86, 2.35), ("Lyon", 45.76, 4.84), ("France", 46.0, 2.0)]),
    ("The mayor of Athens said Ohio would pay for the bridge.", [("Athens", 39.33, -82.10), ("Ohio", 40.25, -83.0)]),
    ("Tourists in Athens visited the Acropolis before flying to Crete.",
     [("Athens", 37.98, 23.73), ("Crete", 35.2, 24.9)]),
]  # fmt: skip


def gold(text: str, places: list[tuple[str, float, float]], n: int) -> GoldArticle:
    spans = [GoldToponym(text.index(name), text.index(name) + len(name), name, lat, lon) for name, lat, lon in places]
    return GoldArticle(f"a{n}", text, spans)


@pytest.fixture(scope="module")
def articles() -> list[GoldArticle]:
    return [gold(text, places, n) for n, (text, places) in enumerate(ARTICLES)]


def test_the_halves_split_the_articles_alternately(articles: list[GoldArticle]) -> None:
    even, odd = half(articles, "even"), half(articles, "odd")
    assert [a.id for a in even] == ["a0", "a2"] and [a.id for a in odd] == ["a1", "a3"]


def test_an_example_is_a_name_with_right_and_wrong_candidates(articles: list[GoldArticle]) -> None:
    data = examples(articles, weights())
    assert len(data) >= 4  # Paris and Athens twice each; unambiguous names say nothing
    for e in data:
        assert e.features.shape == (len(e.right), len(FEATURES))
        assert e.right.any() and not e.right.all()


def test_fitting_raises_the_likelihood_of_the_right_candidates(articles: list[GoldArticle]) -> None:
    data = examples(articles, weights())
    start = np.array(weights().prior + weights().context)
    fitted = fit(data, start, start, steps=300)
    assert log_likelihood(data, fitted) > log_likelihood(data, start)


def test_a_feature_that_marks_the_right_candidate_gets_a_positive_weight() -> None:
    rng = np.random.default_rng(0)
    data = []
    for _ in range(40):
        x = rng.random((3, len(FEATURES)))
        x[:, 0] = [1.0, 0.0, 0.0]  # the first feature is on for the right candidate only
        data.append(Example(x, np.array([True, False, False])))
    zero = np.zeros(len(FEATURES))
    w = fit(data, zero, zero, l2=0.0, steps=500)
    assert w[0] > 2 and w[0] > np.abs(w[1:]).max()
    assert log_likelihood(data, w) > np.log(0.9)


def test_the_tool_writes_weights_and_both_halves_figures(articles: list[GoldArticle], tmp_path: Path) -> None:
    corpus = tmp_path / "written.jsonl"
    corpus.write_text("".join(
        json.dumps({"id": a.id, "text": a.text, "toponyms": [
            {"start": t.start, "end": t.end, "name": t.name, "lat": t.lat, "lon": t.lon} for t in a.toponyms
        ]}) + "\n" for a in articles
    ), encoding="utf-8")  # fmt: skip
    out = tmp_path / "ranking.json"
    assert main([str(corpus), "--half", "even", "--rounds", "1", "--output", str(out)]) == 0
    record = json.loads(out.read_text(encoding="utf-8"))
    assert set(record["weights"]) == set(FEATURES) and "even articles" in record["note"]
    for when in ("before", "after"):
        for which in ("even", "odd"):
            assert 0 <= record["figures"][when][which]["written.jsonl"]["oracle_acc161"] <= 1


def test_bad_input_is_a_one_line_error_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "ranking.json"
    assert main([str(tmp_path / "missing.jsonl"), "--output", str(out)]) == 2
    # A training half with no name to choose for: nothing to fit on.
    plain = tmp_path / "plain.jsonl"
    text = "Officials in Mosul met."
    plain.write_text(json.dumps({"id": "p", "text": text, "toponyms": [
        {"start": 13, "end": 18, "name": "Mosul", "lat": 36.34, "lon": 43.13}]}) + "\n", encoding="utf-8")  # fmt: skip
    assert main([str(plain), "--output", str(out)]) == 2
    errors = capsys.readouterr().err.strip().splitlines()
    assert [line.startswith("fit_ranker: ") for line in errors] == [True, True] and not out.exists()
