"""continuity_of_care (DESIGN §5.7) on tiny frames whose answers are worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from handover.cli import app
from handover.engines import MemoryEngine
from handover.errors import InputError
from handover.findings import FINDINGS, find
from handover.findings.rounding import round_ratio
from handover.model import Dataset
from handover.render.results import render
from handover.findings import SCHEMAS
from handover.findings.schema import finalize
from tests.datasets import write_dataset
from tests.strategies import frame

SCHEMA = FINDINGS["continuity_of_care"].schema


def dataset_with(contacts: list[tuple]) -> Dataset:
    """Contacts as ``(contact_id, user_id, agency_id, date, staff_id)``."""
    agencies = sorted({c[2] for c in contacts}) or ["A"]
    staff = sorted({c[4] for c in contacts if c[4] is not None})
    users = sorted({c[1] for c in contacts}) or ["u1"]
    return Dataset({
        "agencies": frame("agencies", [{"agency_id": a, "name": a, "kind": "other", "level": "municipal"}
                                       for a in agencies]),
        "staff": frame("staff", [{"staff_id": s} for s in staff]),
        "users": frame("users", [{"user_id": u} for u in users]),
        "responsibilities": frame("responsibilities", []),
        "contacts": frame("contacts", [
            {"contact_id": c, "user_id": u, "agency_id": a, "date": pd.Timestamp(d), "staff_id": s}
            for c, u, a, d, s in contacts]),
    })


def rows(dataset: Dataset, **options) -> list[list]:
    text = render(find(MemoryEngine(dataset), "continuity_of_care", **options), SCHEMA, "csv")
    return [line.split(",") for line in text.splitlines()]


def sequence(user: str, agencies: str, staff: str | None = None) -> list[tuple]:
    """One contact a day from 2024-01-01, with the agencies (and staff) given letter by letter."""
    staff = staff or " " * len(agencies)
    return [(f"{user}-c{i:02d}", user, a, f"2024-01-{i + 1:02d}", None if s == " " else s)
            for i, (a, s) in enumerate(zip(agencies, staff))]


def test_columns_are_the_contract():
    assert rows(dataset_with(sequence("u1", "A")))[0] == [
        "user_id", "contacts", "providers", "upc", "coc", "secon", "hhi"]


def test_two_at_one_agency_and_one_at_another():
    # N = 3, n = (2, 1): upc 2/3, coc (5 - 3)/6 = 1/3, secon 1/2 (AA same, AB not), hhi 5/9.
    assert rows(dataset_with(sequence("u1", "AAB")))[1] == ["u1", "3", "2", "0.6667", "0.3333", "0.5", "0.5556"]


def test_one_contact_has_no_coc_and_no_secon():
    assert rows(dataset_with(sequence("u1", "A")))[1] == ["u1", "1", "1", "1", "", "", "1"]


def test_all_contacts_with_one_provider_score_one():
    assert rows(dataset_with(sequence("u1", "AAAA")))[1] == ["u1", "4", "1", "1", "1", "1", "1"]


def test_every_contact_with_another_provider():
    # N = 3, n = (1, 1, 1): upc 1/3, coc (3 - 3)/6 = 0, secon 0, hhi 3/9.
    assert rows(dataset_with(sequence("u1", "ABC")))[1] == ["u1", "3", "3", "0.3333", "0", "0", "0.3333"]


def test_secon_depends_on_the_order_the_others_do_not():
    # Both: N = 4, n = (2, 2): upc 1/2, coc (8 - 4)/12 = 1/3, hhi 8/16 = 1/2.
    alternating = rows(dataset_with(sequence("u1", "ABAB")))[1]
    grouped = rows(dataset_with(sequence("u1", "AABB")))[1]
    assert alternating == ["u1", "4", "2", "0.5", "0.3333", "0", "0.5"]
    assert grouped == ["u1", "4", "2", "0.5", "0.3333", "0.6667", "0.5"]  # AA and BB: 2 of 3 pairs


def test_same_day_contacts_are_ordered_by_contact_id_as_text():
    # "c10" < "c9": the order is c1 A, c10 B, c9 A, so no consecutive pair repeats.
    # (Numeric order c1, c9, c10 would give A, A, B and secon 1/2.)
    dataset = dataset_with([("c1", "u1", "A", "2024-01-01", None), ("c9", "u1", "A", "2024-01-02", None),
                            ("c10", "u1", "B", "2024-01-02", None)])
    assert rows(dataset)[1][5] == "0"


def test_halves_round_up():
    # N = 8, n = (5, 3): hhi = 34/64 = 0.53125 exactly, rounded half up to 0.5313 (pandas and
    # Python would round this binary half to even, 0.5312); upc 5/8 = 0.625;
    # coc = (34 - 8)/56 = 0.46428... → 0.4643; secon AAAAABBB = 6/7 = 0.85714... → 0.8571.
    assert rows(dataset_with(sequence("u1", "AAAAABBB")))[1] == [
        "u1", "8", "2", "0.625", "0.4643", "0.8571", "0.5313"]


def test_staff_as_provider_leaves_out_contacts_without_staff():
    # u1 at agency A with staff x, x, (none), y → N = 3, n = (2, 1) as in the AAB case;
    # by agency it would be N = 4 at one provider. u2 has no staff at all → no row.
    dataset = dataset_with(sequence("u1", "AAAA", "xx y") + sequence("u2", "AB"))
    assert rows(dataset, provider="staff")[1:] == [["u1", "3", "2", "0.6667", "0.3333", "0.5", "0.5556"]]
    assert rows(dataset)[1:] == [["u1", "4", "1", "1", "1", "1", "1"],
                                 ["u2", "2", "2", "0.5", "0", "0", "0.5"]]


def test_since_and_until_are_inclusive():
    dataset = dataset_with(sequence("u1", "ABBA"))  # 2024-01-01 .. 2024-01-04
    kept = rows(dataset, since=pd.Timestamp("2024-01-02"), until=pd.Timestamp("2024-01-03"))
    assert kept[1] == ["u1", "2", "1", "1", "1", "1", "1"]  # the two B contacts
    assert len(rows(dataset, since=pd.Timestamp("2024-01-05"))) == 1  # the header alone


def test_users_are_sorted_as_text():
    dataset = dataset_with(sequence("u9", "A") + sequence("u10", "A"))
    assert [r[0] for r in rows(dataset)[1:]] == ["u10", "u9"]


def test_no_contacts_table_gives_no_rows():
    dataset = dataset_with([])
    del dataset.tables["contacts"]
    with pytest.raises(InputError, match="needs contacts.csv"):
        find(MemoryEngine(dataset), "continuity_of_care")


def test_unknown_provider_is_an_input_error():
    with pytest.raises(InputError, match="--provider: team is not one of: agency, staff"):
        find(MemoryEngine(dataset_with(sequence("u1", "A"))), "continuity_of_care", provider="team")


def test_round_ratio_is_half_up_on_the_exact_fraction():
    assert round_ratio(1, 3) == 0.3333
    assert round_ratio(2, 3) == 0.6667
    assert round_ratio(1, 160) == 0.0063  # 0.00625: numpy rounds it to 0.0062
    assert round_ratio(3, 20000 * 3) == 0.0001  # exactly 0.00005
    assert round_ratio(0, 7) == 0.0
    assert list(round_ratio(np.array([34, 1]), np.array([64, 8]))) == [0.5313, 0.125]


def test_finalize_keeps_four_decimal_values_as_they_are():
    # The engines hand finalize multiples of 0.0001; its own round(4) must not move them.
    values = np.arange(10_001) / 10_000
    raw = pd.DataFrame({"user_id": [f"u{i:05d}" for i in range(len(values))], "contacts": 1,
                        "providers": 1, "upc": values, "coc": values, "secon": values, "hhi": values})
    out = finalize(raw, SCHEMAS["continuity_of_care"])
    assert (out["hhi"].to_numpy(float) == values).all()


def test_cli_prints_the_rows(tmp_path):
    folder = write_dataset(dataset_with(sequence("u1", "AAB")), tmp_path / "d")
    result = CliRunner().invoke(app, ["find", "continuity-of-care", str(folder), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == "u1,3,2,0.6667,0.3333,0.5,0.5556"
    bad = CliRunner().invoke(app, ["find", "continuity-of-care", str(folder), "--provider", "team"])
    assert bad.exit_code == 2
    assert "--provider: team is not one of: agency, staff" in bad.stderr
