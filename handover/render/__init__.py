"""Turning results into what people read: terminal tables, CSV, HTML pages, SVG charts.

Drawing only: a page function takes results (frames, graphs, the data objects of
:mod:`handover.reports`, by their attributes) and returns text. Nothing here imports
:mod:`handover.reports`, :mod:`handover.engines` or :mod:`handover.cli`. The pages' CSS
and JavaScript are files in ``assets/``, inlined by :func:`handover.render.html.asset`.
"""
