"""Reading articles: files and URLs (:mod:`~geomap.source.read`), HTML to text
(:mod:`~geomap.source.html`) and boilerplate removal (:mod:`~geomap.source.clean`)."""
