"""The state of endpoint groups beyond hosting (email, DNS, cron, settings …), one part per group.

A group's module defines a ``StateDocument`` subclass and registers it with ``@part``; the panel
builds one of each from the fixtures, resets them together and hands them to handlers by class
(``call.panel.part(Mailboxes)``), so adding a group never edits the panel itself.
"""

from __future__ import annotations

from typing import TypeVar

from mock_server.panel.document import StateDocument

PARTS: list[type[StateDocument]] = []

Part = TypeVar("Part", bound=StateDocument)


def part(cls: type[Part]) -> type[Part]:
    """Class decorator: the panel keeps one ``cls`` (its ``DOCUMENT`` names it in the store)."""
    if any(known.DOCUMENT == cls.DOCUMENT for known in PARTS):
        raise RuntimeError(f"two state parts named {cls.DOCUMENT!r}")
    PARTS.append(cls)
    return cls
