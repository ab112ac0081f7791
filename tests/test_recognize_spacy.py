"""The optional spaCy recogniser: a clear error without it, and Mentions like the default's with it.

The adapter tests run on real spaCy objects (a blank English pipeline with an entity
ruler), so they need spaCy but no downloaded model; without spaCy they are skipped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import geomap
from geomap.cli import main
from geomap.errors import GeomapError
from geomap.recognize.rules import find_mentions
from geomap.recognize.spacy_model import MODEL_ENV, find_mentions_spacy
from geomap.text import split_sentences

MOSUL = Path(__file__).resolve().parent.parent / "data" / "articles" / "mosul.txt"
TEXT = "Russ Read reported from east Mosul, where Iraqi troops crossed the Tigris river. Mosul is in Iraq."


def test_missing_model_is_one_line_and_exit_2(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setenv(MODEL_ENV, "geomap_no_such_spacy_model")
    assert main(["places", str(MOSUL), "--recognizer", "spacy"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "pip install 'geomap[spacy]'" in err and "python -m spacy download" in err


def test_unknown_recognizer_names_the_nearest(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["places", str(MOSUL), "--recognizer", "spacey"])
    assert exc.value.code == 2
    assert "did you mean spacy?" in capsys.readouterr().err


def test_parse_refuses_an_unknown_recognizer() -> None:
    with pytest.raises(GeomapError, match="gazetteer, spacy"):
        geomap.parse("Fighting continued in Mosul.", recognizer="regex")


def _ruler_pipeline(patterns: list[dict[str, Any]]) -> Any:
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns(patterns)
    return nlp


@pytest.fixture(scope="module")
def nlp() -> Any:
    return _ruler_pipeline(
        [
            {"label": "GPE", "pattern": "Mosul"},
            {"label": "LOC", "pattern": "Tigris"},
            {"label": "GPE", "pattern": "Iraq"},
            {"label": "NORP", "pattern": "Iraqi"},
            {"label": "PERSON", "pattern": "Russ Read"},
        ]
    )


def test_spacy_entities_become_mentions_with_exact_spans(nlp: Any) -> None:
    mentions = find_mentions_spacy(TEXT, geomap.default_gazetteer(), model=nlp)
    assert [(m.text, m.name) for m in mentions] == [
        ("east Mosul", "Mosul"), ("Iraqi", "Iraqi"), ("Tigris river", "Tigris"), ("Mosul", "Mosul"), ("Iraq", "Iraq"),
    ]  # fmt: skip
    sentences = split_sentences(TEXT)
    for m in mentions:
        assert TEXT[m.start : m.end] == m.text
        assert m.sentence in sentences and m.sentence.start <= m.start and m.end <= m.sentence.end
    assert not any("Read" in m.text for m in mentions)  # PERSON is not a place


def test_spacy_joins_qualifiers_features_and_demonyms_as_the_default_does(nlp: Any) -> None:
    gazetteer = geomap.default_gazetteer()
    east, iraqi, tigris = find_mentions_spacy(TEXT, gazetteer, model=nlp)[:3]
    assert (east.qualifier, east.start) == ("east", TEXT.index("east Mosul"))
    assert (tigris.feature, tigris.end) == ("river", TEXT.index(" river") + len(" river"))
    assert iraqi.demonym and not east.demonym
    assert find_mentions_spacy(TEXT, gazetteer, model=nlp) == find_mentions(TEXT, gazetteer)


def test_spacy_entity_with_article_and_feature_names_the_place() -> None:
    nlp = _ruler_pipeline([{"label": "LOC", "pattern": "the Tigris River"}])
    text = "Troops crossed the Tigris River at dawn."
    (m,) = find_mentions_spacy(text, geomap.default_gazetteer(), model=nlp)
    assert (m.name, m.text, m.feature) == ("Tigris", "Tigris River", "river")


def test_spacy_names_the_gazetteer_lacks_are_dropped() -> None:
    nlp = _ruler_pipeline([{"label": "GPE", "pattern": "Qwxzyland"}, {"label": "FAC", "pattern": "Mosul"}])
    mentions = find_mentions_spacy("From Qwxzyland to Mosul.", geomap.default_gazetteer(), model=nlp)
    assert [m.text for m in mentions] == ["Mosul"]
