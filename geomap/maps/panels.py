"""The panels on a map: its title with the story's source and date, and its legend."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from markupsafe import Markup

from geomap.maps.assets import render
from geomap.maps.shapes import is_approximate
from geomap.maps.symbols import KIND_LABELS, icon
from geomap.model import KINDS, Article, Place


def title_panel(title: str | None, article: Article | None) -> Markup | None:
    """The title and a caption naming the article's source (a link when it is a URL)
    and date; None when there is nothing to say."""
    source = article.source if article else None
    date = article.date if article else None
    if not (title or source or date):
        return None
    url = source if source and re.match(r"https?://", source) else None
    if url:
        name: str | None = re.sub(r"^https?://", "", url)
    else:
        name = Path(source).name if source else None
    return render("title.html", title=title, source_url=url, source_name=name, date=date)


def legend(places: Sequence[Place]) -> Markup:
    """One entry per kind of place drawn, in the model's order of kinds, and the dashed
    swatch when some area is an estimate."""
    present = {p.kind for p in places}
    entries = [(icon(k, KIND_LABELS[k], 16), KIND_LABELS[k]) for k in KINDS if k in present]
    return render("legend.html", entries=entries, estimated=any(is_approximate(p) for p in places))
