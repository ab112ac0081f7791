"""What the resolver asks of a geocoder: one small protocol, so online and offline sources are interchangeable."""

from __future__ import annotations

from typing import Protocol

from geomap.model import Candidate

#: How many candidates the resolver asks a source for per name.
CANDIDATE_LIMIT = 25


class CandidateSource(Protocol):
    """Anything that proposes candidates for a name: the gazetteer or an online geocoder."""

    name: str

    def candidates(self, query: str, *, limit: int = CANDIDATE_LIMIT) -> list[Candidate]: ...
