"""Datasets made from other datasets: pseudonymised copies (and, later, imports of exports)."""
