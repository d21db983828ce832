"""The audit's tests read English pages unless they ask for Norwegian, on any machine."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="package", autouse=True)
def english_locale():
    # `handover audit` writes Norwegian when the locale is (--lang's default); a developer's
    # nb_NO locale must not turn the English tests' pages Norwegian.
    with pytest.MonkeyPatch.context() as patch:
        for name in ("LC_ALL", "LC_MESSAGES"):
            patch.delenv(name, raising=False)
        patch.setenv("LANG", "C.UTF-8")
        yield
