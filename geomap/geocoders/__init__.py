"""Sources of candidate places: the protocol every source speaks (:mod:`~geomap.geocoders.base`),
online geopy services (:mod:`~geomap.geocoders.online`) with their options and answer cache.
The offline gazetteer (:mod:`geomap.gazetteer`) speaks the same protocol."""
