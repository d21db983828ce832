"""Writing a dataset's CSV through Arrow (fast, for big imports) gives exactly pandas' bytes.

``handover.io.write`` writes a table with Arrow's CSV writer when no value needs quotes and
with pandas otherwise; either way the file must be what pandas' ``to_csv`` writes (UTF-8,
``,``, ``\\n``, dates ``YYYY-MM-DD``, missing values empty, quotes only where needed).
"""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from handover.examples import tiny_dataset
from handover.io.write import _table_csv
from tests.strategies import frame


def pandas_bytes(table: str, data: pd.DataFrame, path) -> bytes:
    out = data.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
    out.to_csv(path, index=False, lineterminator="\n")
    return path.read_bytes()


def test_a_table_without_quotes_never_goes_through_pandas(tmp_path, monkeypatch):
    data = tiny_dataset()["responsibilities"]
    expected = pandas_bytes("responsibilities", data, tmp_path / "pandas.csv")

    def refuse(*args, **kwargs):
        raise AssertionError("pandas wrote a table Arrow can write")

    monkeypatch.setattr(pd.DataFrame, "to_csv", refuse)
    _table_csv("responsibilities", data, tmp_path / "ours.csv")
    assert (tmp_path / "ours.csv").read_bytes() == expected


def test_every_table_of_the_tiny_dataset(tmp_path):
    for name, data in tiny_dataset().tables.items():
        _table_csv(name, data, tmp_path / "ours.csv")
        assert (tmp_path / "ours.csv").read_bytes() == pandas_bytes(name, data, tmp_path / "pandas.csv"), name


TEXT = st.one_of(st.none(), st.text(alphabet=st.sampled_from(list('ab ,;"\n\rø\'\t')), max_size=4))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(TEXT, TEXT, st.one_of(st.none(), st.integers(0, 400)), st.booleans(),
                          st.one_of(st.none(), st.integers(1900, 2100))), max_size=6))
def test_random_values_need_quotes_or_not(tmp_path_factory, rows):
    folder = tmp_path_factory.mktemp("csv")
    data = frame("responsibilities", [
        {"user_id": user, "staff_id": staff, "agency_id": "a1", "role": "caseworker",
         "start": pd.Timestamp("2024-01-01") + pd.Timedelta(days=days or 0), "end": None if empty else
         pd.Timestamp("2024-03-01"), "reason": user} for user, staff, days, empty, _ in rows])
    _table_csv("responsibilities", data, folder / "ours.csv")
    assert (folder / "ours.csv").read_bytes() == pandas_bytes("responsibilities", data, folder / "pandas.csv")
    users = frame("users", [{"user_id": user, "birth_year": year, "municipality": staff}
                            for user, staff, _, _, year in rows])
    _table_csv("users", users, folder / "ours.csv")
    assert (folder / "ours.csv").read_bytes() == pandas_bytes("users", users, folder / "pandas.csv")
