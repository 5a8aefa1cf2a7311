"""A tiny DOM built with the standard library's HTML parser, to read the report in tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
}  # fmt: skip


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None]
    children: list[Node | str] = field(default_factory=list)

    def iter(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Node]:
        found = []
        for node in self.iter():
            if tag is not None and node.tag != tag:
                continue
            if all(self._matches(node, k.rstrip("_"), v) for k, v in attrs.items()):
                found.append(node)
        return found

    def find(self, tag: str | None = None, **attrs: str) -> Node:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag}> with {attrs}"
        return found[0]

    @staticmethod
    def _matches(node: Node, key: str, value: str) -> bool:
        actual = node.attrs.get(key)
        if actual is None:
            return False
        if key == "class":
            return value in actual.split()
        return actual == value

    def text(self) -> str:
        parts = []
        for child in self.children:
            parts.append(child if isinstance(child, str) else child.text())
        return "".join(parts)


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(page: str) -> Node:
    """Parse an HTML page into a :class:`Node` tree."""
    builder = _Builder()
    builder.feed(page)
    builder.close()
    return builder.root


def table_rows(table: Node) -> list[tuple[dict[str, str | None], list[str]]]:
    """The body rows of a table: the row's attributes and the text of each cell."""
    rows = []
    for tr in table.find("tbody").find_all("tr"):
        cells = [c.text().strip() for c in tr.children if isinstance(c, Node)]
        rows.append((tr.attrs, cells))
    return rows


def header(table: Node) -> list[str]:
    """The column headings of a table."""
    return [th.text().strip() for th in table.find("thead").find_all("th")]
