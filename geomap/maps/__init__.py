"""Maps, one job per module: :mod:`~geomap.maps.shapes` (areas and lines for places),
:mod:`~geomap.maps.framing` (what the opening view shows), :mod:`~geomap.maps.symbols`
(how each kind looks), :mod:`~geomap.maps.popup` and :mod:`~geomap.maps.panels` (markup
from ``templates/``), :mod:`~geomap.maps.elements` (the Folium elements),
:mod:`~geomap.maps.assets` (templates, ``static/`` styles and scripts, Leaflet),
:mod:`~geomap.maps.render` (assembles the map) and :mod:`~geomap.maps.export` (its files)."""
