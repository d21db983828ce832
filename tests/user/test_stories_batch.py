"""The report draws many user pages at once (:func:`user_stories`): each is the page
``handover user`` draws for that user alone."""

from __future__ import annotations

import pytest

from handover.engines import MemoryEngine
from handover.findings import FINDINGS, find
from handover.io import read_dataset
from handover.render.user_page import user_html
from handover.reports.user_story import user_stories, user_story
from tests.datasets import FIXTURES


@pytest.mark.parametrize("fixture", ["tiny", "oslo-nav-district", "trondheim-purchaser-provider"])
def test_every_page_drawn_in_a_batch_is_the_page_of_the_user_alone(fixture):
    data = read_dataset(FIXTURES / fixture)
    as_of = data.latest_date()
    engine = MemoryEngine(data)
    results = {name: find(engine, name, as_of=as_of) for name in FINDINGS}
    users = sorted(data.get("users")["user_id"])
    batch = {story.user_id: user_html(story) for story in
             user_stories(data, users[::-1], as_of=as_of, results=results, source=fixture)}
    assert list(batch) == users[::-1]
    for user_id in users:
        assert batch[user_id] == user_html(user_story(data, user_id, as_of=as_of, source=fixture)), user_id
