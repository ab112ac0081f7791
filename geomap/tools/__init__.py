"""Tooling beside the pipeline: project builds, corpus evaluation, data builders. The runtime
(``geomap.parse``, ``geomap.make_map``) never imports these modules."""
