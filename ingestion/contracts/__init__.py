"""Source contracts: one per landing entity, as in docs/sources.md."""

from . import marketing, mp, oa, org, shops, stores, wecom
from .model import (
    FIELD_TYPES,
    LINEAGE_COLUMNS,
    PHONE_KINDS,
    QUARANTINE_REASONS,
    TIME_TYPES,
    Contract,
    Field,
)
from .pages import Page

CONTRACTS: dict[tuple[str, str], Contract] = {
    (c.source, c.entity): c
    for module in (org, wecom, oa, mp, shops, stores, marketing)
    for c in module.CONTRACTS
}


def get(source: str, entity: str) -> Contract:
    try:
        return CONTRACTS[(source, entity)]
    except KeyError:
        raise KeyError(f"unknown source/entity folder: {source}/{entity}") from None


__all__ = [
    "CONTRACTS",
    "FIELD_TYPES",
    "LINEAGE_COLUMNS",
    "PHONE_KINDS",
    "QUARANTINE_REASONS",
    "TIME_TYPES",
    "Contract",
    "Field",
    "Page",
    "get",
]
