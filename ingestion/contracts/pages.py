"""Where a platform's API response, stored whole by a collector, holds an entity's records
(`Contract.pages`; read by `ingestion.read.json_pages`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    """Where a platform's API response, stored whole by a collector, holds an entity's records.

    path:   dotted key path from the response's top: a list there is a record per object in it, an
            object there is one record.
    item:   when set, each object of the list is the record's `item` object, beside the response's
            own `beside` keys: `externalcontact/get` returns one `external_contact` and a `follow_user`
            list, a record being `{"external_contact": …, "follow_info": <one of them>}`.
    lists:  (key, list, field): an item lacking `key` gets the `field` of each object of its `list`
            (`follow_user` items carry `tags` objects where `follow_info` carries `tag_id` strings).
    take:   when set, the record is the item's `take` object, plus `adds`: (key, dotted path in the
            item) for keys it lacks. Douyin's afterSale.List items are `{"aftersale_info": {…},
            "order_info": {"shop_order_id": …}}`. With path "", a line that is such an item.
    """

    path: str
    item: str | None = None
    beside: tuple[str, ...] = ()
    lists: tuple[tuple[str, str, str], ...] = ()
    take: str | None = None
    adds: tuple[tuple[str, str], ...] = ()

    @property
    def key(self) -> str:
        """The top-level key a page names."""
        return self.path.split(".")[0] if self.path else str(self.take)

    def describe(self) -> str:
        if self.take:
            where = f"`{self.path}` (each object's" if self.path else "a line that is an item (its"
            return where + f" `{self.take}`, " + ", ".join(f"`{k}` from `{p}`" for k, p in self.adds) + ")"
        if not self.item:
            return f"`{self.path}`"
        text = f"`{self.path}` (each object the record's `{self.item}`, beside " + ", ".join(
            f"`{b}`" for b in self.beside)
        for key, lst, fld in self.lists:
            text += f"; its `{key}`, when absent, the `{fld}` of each object of `{lst}`"
        return text + ")"


def pages_note(pages: tuple[Page, ...]) -> str:
    """docs/sources.md's line on an entity's API pages."""
    return ("a page a line, or one a `.json` file, is cut into its records at " + " or at ".join(
        p.describe() for p in pages) + ": a list there holds a record per object, an object is one record")
