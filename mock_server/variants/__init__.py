"""Variants: the mock answering otherwise than the contract says, on purpose.

A *flavor* (``openpanel-mock --flavor v2``) is every variant of one group: how a real server
generation departs from the contract, each deviation with its source. A *fault*
(``--fault NAME``) is a single deliberate break, to show that a test suite notices. Both are the same
kind of thing — a small function that wraps or replaces stages of the request pipeline — registered
with one decorator in one ``Registry``, the way schemathesis registers its checks.

A *twin* (``v1``, ``v2``) is a flavor rebuilt route by route from its server: one installer
(``@twin(group)``) replaces the stages with that server's routing, middleware and handlers, and its
deviations are *described* (``describe``: name, source, whether it conforms) in one catalogue, so the
handlers can mark each departing answer with the deviation that explains it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from flask import Request

from mock_server.answer import Answer
from mock_server.panel.errors import StateError

if TYPE_CHECKING:
    from contract_model import Operation
    from mock_server.mock import Mock
    from mock_server.pipeline import Exchange

#: The group of deliberate faults; every other group is a flavor.
FAULT = "fault"
#: The flavor that is the contract itself: no variant.
CONTRACT = "contract"

Apply = Callable[["Mock"], None]


@dataclass(frozen=True)
class Variant:
    name: str
    #: ``fault``, or the flavor it belongs to (``v2``).
    group: str
    description: str
    #: Where the behaviour comes from (a facts-sheet section, a Go file and function).
    source: str
    #: Whether the answers it gives still conform to the contract (a named variant of the schema).
    conforms: bool
    #: ``None`` for a twin's described deviation: its twin's installer produces it.
    apply: Apply | None


class Registry:
    """Every known variant, by group and name."""

    def __init__(self) -> None:
        self._variants: dict[tuple[str, str], Variant] = {}
        self._twins: dict[str, Apply] = {}

    def register(
        self, name: str, *, group: str, description: str, source: str = "", conforms: bool = False
    ) -> Callable[[Apply], Apply]:
        """Decorator: register the function as the variant ``name``."""

        def decorate(function: Apply) -> Apply:
            self._add(Variant(name, group, description, source, conforms, function))
            return function

        return decorate

    def describe(self, name: str, *, group: str, description: str, source: str, conforms: bool = False) -> str:
        """Record a twin's deviation (its installer produces it); answer its name, for ``depart``."""
        self._add(Variant(name, group, description, source, conforms, None))
        return name

    def _add(self, variant: Variant) -> None:
        # Names are unique within a group: two generations may well share a deviation's name.
        if (variant.group, variant.name) in self._variants:
            raise RuntimeError(f"two variants named {variant.name!r} in {variant.group!r}")
        self._variants[(variant.group, variant.name)] = variant

    def twin(self, group: str) -> Callable[[Apply], Apply]:
        """Decorator: the function installs the twin ``group`` (applied before its other variants)."""

        def decorate(function: Apply) -> Apply:
            self._twins[group] = function
            return function

        return decorate

    def group(self, group: str) -> list[Variant]:
        """The variants of ``group``, in the order they were registered (which is the order they apply)."""
        return [variant for variant in self._variants.values() if variant.group == group]

    def flavors(self) -> tuple[str, ...]:
        groups = [v.group for v in self._variants.values() if v.group != FAULT]
        return (CONTRACT, *dict.fromkeys([*self._twins, *groups]))

    def apply_flavor(self, mock: Mock, flavor: str) -> None:
        if flavor not in self.flavors():
            raise ValueError(f"unknown flavor {flavor!r}; known: {', '.join(self.flavors())}")
        if flavor in self._twins:
            self._twins[flavor](mock)
        for variant in self.group(flavor):
            if variant.apply is not None:
                variant.apply(mock)

    def apply_faults(self, mock: Mock, names: Iterable[str]) -> None:
        faults = {variant.name: variant for variant in self.group(FAULT)}
        for name in names:
            if name not in faults:
                raise ValueError(f"unknown fault {name!r}; known: {', '.join(sorted(faults))}")
            apply = faults[name].apply
            assert apply is not None
            apply(mock)


VARIANTS = Registry()
variant = VARIANTS.register
twin = VARIANTS.twin


def depart(answer: Answer, name: str) -> Answer:
    """``answer``, marked as departing from the contract on purpose (the mock does not check it)."""
    return replace(answer, deviation=name)


def depart_unless_documented(answer: Answer, name: str, operation: Operation | None) -> Answer:
    """A server's fixed answer (a middleware's refusal, a router's 404), marked where the operation does
    not document its status; where it does, the mock still checks its body against the contract."""
    if operation is not None and operation.documents(answer.status):
        return answer
    return depart(answer, name)


def load_all() -> Registry:
    """The registry with every variant module imported."""
    from mock_server.variants import faults, v1, v2  # noqa: F401  (registers them)

    return VARIANTS


def refuse_instead(
    mock: Mock,
    operations: Iterable[str],
    refusals: type[StateError] | tuple[type[StateError], ...],
    answer: Callable[[Exchange, StateError], Answer],
) -> None:
    """``operations`` answer these ``refusals`` of the panel with ``answer`` instead of the contract's refusal."""

    def refuse(inner, exchange: Exchange, error: StateError) -> Answer:
        return answer(exchange, error) if isinstance(error, refusals) else inner(exchange, error)

    mock.pipeline.wrap("refuse", refuse, operations)


def answer_before_routing(mock: Mock, matches: Callable[[Request], bool], answer: Answer) -> None:
    """Requests that ``matches`` get ``answer`` before anything is routed (a server's own fixed reply)."""

    def route(inner, exchange: Exchange) -> Answer | None:
        return answer if matches(exchange.request) else inner(exchange)

    mock.pipeline.wrap("route", route)
