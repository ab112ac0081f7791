"""Markup from Jinja2 templates, autoescaped, so that text from articles, project files
and geocoders cannot become markup wherever it reaches a page."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup


@cache
def environment(package: str) -> Environment:
    """The templates in ``package``'s ``templates/`` folder, autoescaped whatever their
    suffix; an undefined name is an error rather than an empty string."""
    return Environment(
        loader=PackageLoader(package, "templates"), autoescape=True, undefined=StrictUndefined, auto_reload=False
    )


def render(package: str, template: str, /, **context: Any) -> Markup:
    """``package``'s ``templates/<template>`` filled with ``context``: markup that is safe
    to nest in another template or to put into a page."""
    return Markup(environment(package).get_template(template).render(**context))
