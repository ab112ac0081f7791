"""Maps: shapes for places (:mod:`~geomap.maps.shapes`), the Folium map (:mod:`~geomap.maps.render`)
and its outputs (:mod:`~geomap.maps.export`), with markup in ``templates/`` and client code in ``static/``."""
