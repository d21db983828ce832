"""Command-line options shared by several commands, declared once."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

__all__ = [
    "EngineName", "OutputFormat", "DataDirArg", "OptionalDataDirArg", "SepOpt", "EncodingOpt",
    "AsOfOpt", "EngineOpt", "Neo4jUriOpt", "FormatOpt", "OutOpt", "SinceOpt", "UntilOpt",
    "AllowIdentifiersOpt",
]


class EngineName(str, Enum):
    memory = "memory"
    neo4j = "neo4j"


class OutputFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


DataDirArg = Annotated[Path, typer.Argument(
    help="Dataset folder: one <table>.csv or <table>.parquet per table (see README).",
    show_default=False)]
OptionalDataDirArg = Annotated[Optional[Path], typer.Argument(
    help="Dataset folder. With --engine neo4j it is optional: given, it is loaded "
         "(replacing what is there) before the query; absent, the query runs on what is loaded.",
    show_default=False)]
SepOpt = Annotated[str, typer.Option("--sep", help="CSV field separator; Norwegian Excel exports often use ';'.")]
EncodingOpt = Annotated[str, typer.Option("--encoding", help="CSV text encoding, e.g. utf-8 or cp1252.")]
AsOfOpt = Annotated[Optional[str], typer.Option(
    "--as-of", metavar="YYYY-MM-DD",
    help="Reference date that closes ongoing intervals. Default: the latest date in the dataset.")]
EngineOpt = Annotated[EngineName, typer.Option(
    "--engine", help="memory: pandas + networkx, no server. neo4j: the Cypher queries on a Neo4j server.")]
Neo4jUriOpt = Annotated[Optional[str], typer.Option(
    "--neo4j-uri", metavar="URI",
    help="Bolt URI of the Neo4j server (default: $NEO4J_URI, else the local server "
         "started with `handover neo4j start`).")]
FormatOpt = Annotated[OutputFormat, typer.Option("--format", help="table for reading, csv or json for scripts.")]
OutOpt = Annotated[Optional[Path], typer.Option("--out", help="Write to this file instead of standard output.")]
SinceOpt = Annotated[Optional[str], typer.Option("--since", metavar="YYYY-MM-DD", help="Earliest date to include.")]
UntilOpt = Annotated[Optional[str], typer.Option("--until", metavar="YYYY-MM-DD", help="Latest date to include.")]
AllowIdentifiersOpt = Annotated[bool, typer.Option(
    "--allow-identifiers",
    help="Accept user and staff ids that look like Norwegian national identity numbers "
         "(refused by default; `handover pseudonymize` replaces them).")]
