"""Fixtures for the core tests."""

from __future__ import annotations

import pytest

from regstudio.core.document import Document


@pytest.fixture
def document():
    """A new document that records every change it announces in ``document.changes``."""
    doc = Document()
    doc.changes = []
    doc.subscribe(doc.changes.append)
    return doc
