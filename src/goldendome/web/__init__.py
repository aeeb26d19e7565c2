"""`goldendome serve`: a local web app (FastAPI + CesiumJS) that plays stored runs on a globe.

web/ reads runs from study/ (the DuckDB store) and formats them; it never recomputes physics.
See :func:`goldendome.web.app.create_app`.
"""
