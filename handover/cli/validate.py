"""``handover validate DATA_DIR``: check a dataset against the data contract, every problem at once."""

from __future__ import annotations

import typer

from handover.cli.options import DataDirArg, EncodingOpt, SepOpt
from handover.errors import DatasetError
from handover.io import validate_dataset

__all__ = ["validate"]


def validate(data_dir: DataDirArg, sep: SepOpt = ",", encoding: EncodingOpt = "utf-8") -> None:
    """Check a dataset folder against the data contract and report every problem at once.

    Exits 0 when the dataset is valid and 2 when it is not, listing each problem with
    its file, line, column, value and the rule it breaks.
    """
    problems = validate_dataset(data_dir, sep=sep, encoding=encoding)
    if problems:
        raise DatasetError(problems)
    typer.echo(f"{data_dir}: valid")
