"""Turning results into what people read: terminal tables, CSV, HTML pages, SVG charts."""
