"""The package's layout is its architecture: the runtime never loads the tooling."""

from __future__ import annotations

import json
import subprocess
import sys

#: Modules that build data, evaluate or build projects: a map must never need them.
TOOLING = ("geomap.tools", "geomap.gazetteer.build", "geomap.gazetteer.groups", "geomap.gazetteer.features")


def test_parse_and_map_load_no_tooling() -> None:
    code = (
        "import json, sys, geomap;"
        "places = geomap.parse('Fighting continued in Mosul, on the Tigris river in Iraq.');"
        "geomap.make_map(places).get_root().render();"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('geomap'))))"
    )
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout)
    assert "geomap.resolve.rank" in loaded and "geomap.maps.render" in loaded  # the check saw the pipeline run
    assert [m for m in loaded if m.startswith(TOOLING)] == []
