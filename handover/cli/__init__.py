"""The ``handover`` command line: a thin skin over the library (see :mod:`handover.cli.app`)."""

from handover.cli.app import app, main

__all__ = ["app", "main"]
