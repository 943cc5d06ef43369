"""How the site is found and shared: sitemap, robots.txt, the Atom feed, structured data and link previews."""

from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    name = "discovery"
