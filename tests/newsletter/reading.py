"""Read a page's HTML as a browser would (elements, attributes, text), to test its structure rather than its bytes."""

from html.parser import HTMLParser


class PageReader(HTMLParser):
    """Every start tag with its attributes, and the text of each h1."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.h1s: list[str] = []
        self._in_h1 = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))
        if tag == "h1":
            self._in_h1 = True
            self.h1s.append("")

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1s[-1] += data

    def find_all(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        """Attributes of each `tag` element whose attributes include `attrs` (class_ for class)."""
        wanted = {name.rstrip("_"): value for name, value in attrs.items()}
        return [found for name, found in self.elements if name == tag and wanted.items() <= found.items()]


def read(response) -> PageReader:
    return PageReader(response.content.decode())
