"""The recogniser's word lists are data: one documented TOML file, loaded once into a frozen object."""

from __future__ import annotations

import dataclasses
import re
import tomllib

import pytest

from geomap.fsutil import package_data
from geomap.recognize.vocabulary import Vocabulary, vocabulary


def test_every_list_says_what_it_is_for_and_is_loaded() -> None:
    text = package_data("vocabulary.toml").read_text(encoding="utf-8")
    lines = text.splitlines()
    starts = {
        m.group(1) or m.group(2): k for k, line in enumerate(lines) if (m := re.match(r"(\w+) = \[|\[(\w+)\]$", line))
    }
    for key, at in starts.items():
        assert lines[at - 1].startswith("# "), f"{key} has no comment line"
    keys = set(starts)
    assert keys == set(tomllib.loads(text)) == {f.name for f in dataclasses.fields(Vocabulary)}


def test_vocabulary_is_read_once_and_frozen() -> None:
    vocab = vocabulary()
    assert vocabulary() is vocab
    assert "gen" in vocab.titles and vocab.feature_words["river"] == "river"
    assert vocab.media_heads <= vocab.org_heads  # an outlet is an organisation
    with pytest.raises(dataclasses.FrozenInstanceError):
        vocab.titles = frozenset()  # type: ignore[misc]
    with pytest.raises(TypeError):
        vocab.directions["up"] = "north"  # type: ignore[index]
