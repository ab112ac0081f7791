"""Toponym resolution: for each name, the place the article means (:mod:`~geomap.resolve.rank`)."""
