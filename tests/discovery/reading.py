"""Reading what the discovery tags put in a page's <head>, as a search engine or a chat app would."""

import json
from html.parser import HTMLParser


class HeadReader(HTMLParser):
    """Every <meta property|name>, <link rel> and ld+json script of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict] = []
        self.ld_json: list[str] = []
        self._in_ld_json = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "meta" and ("property" in attributes or "name" in attributes):
            key = attributes.get("property") or attributes["name"]
            self.meta.setdefault(key, []).append(attributes.get("content", ""))
        elif tag == "link":
            self.links.append(attributes)
        elif tag == "script" and attributes.get("type") == "application/ld+json":
            self._in_ld_json = True
            self.ld_json.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld_json = False

    def handle_data(self, data):
        if self._in_ld_json:
            self.ld_json[-1] += data


def read_head(response_or_html) -> HeadReader:
    html = response_or_html if isinstance(response_or_html, str) else response_or_html.content.decode()
    reader = HeadReader()
    reader.feed(html)
    reader.close()
    return reader


def og(response) -> dict[str, str]:
    """Open Graph and Twitter properties, each of which must appear once."""
    meta = read_head(response).meta
    wanted = {key: values for key, values in meta.items() if key.startswith(("og:", "article:", "twitter:"))}
    assert all(len(values) == 1 for values in wanted.values()), wanted
    return {key: values[0] for key, values in wanted.items()}


def canonical(response) -> list[str]:
    return [link["href"] for link in read_head(response).links if link.get("rel") == "canonical"]


def entities(response) -> list[dict]:
    """Every JSON-LD entity on the page: each block parsed with json.loads, a @graph opened up."""
    found = []
    for block in read_head(response).ld_json:
        data = json.loads(block)
        assert data.pop("@context") == "https://schema.org"
        found.extend(data["@graph"] if "@graph" in data else [data])
    return found


def entity(response, schema_type: str) -> dict:
    matches = [item for item in entities(response) if item["@type"] == schema_type]
    assert len(matches) == 1, f"{len(matches)} {schema_type} entities in {entities(response)}"
    return matches[0]


def trail(response) -> list[tuple[str, str]]:
    """The page's BreadcrumbList as (name, URL) pairs, in their positions' order."""
    items = entity(response, "BreadcrumbList")["itemListElement"]
    assert [item["position"] for item in items] == list(range(1, len(items) + 1))
    return [(item["name"], item["item"]) for item in items]
