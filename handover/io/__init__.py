"""Reading and validating datasets (the data contract, docs/data.md), and writing files safely."""

from handover.io.dataset import locate_rows, read_dataset, validate_dataset

__all__ = ["read_dataset", "validate_dataset", "locate_rows"]
