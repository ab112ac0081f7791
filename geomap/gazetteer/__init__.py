"""The offline gazetteer: one SQLite file of places and shapes shipped in the package.

:mod:`~geomap.gazetteer.schema` is the file's format, :mod:`~geomap.gazetteer.reader` reads it
(the :class:`Gazetteer` geocoder, imported here), and :mod:`~geomap.gazetteer.build` with
:mod:`~geomap.gazetteer.groups` regenerates it; the runtime never imports the builder.
"""

from geomap.gazetteer.reader import ATTRIBUTION, Gazetteer, default_path

__all__ = ["ATTRIBUTION", "Gazetteer", "default_path"]
