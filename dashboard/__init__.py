"""Dash app over the poverty-alleviation fact store: ``python -m dashboard [--db PATH]``.

Layers: ``queries`` (db path + parameters -> DataFrame), ``figures`` (DataFrame -> go.Figure),
``export`` (CSV and PNG bytes), ``params`` (the URL contract), ``pages/`` (layouts and the callbacks
that wire the three together) and ``app`` (the factory and the export routes).
"""
