"""Malformed input met through the CLI and the reader."""
