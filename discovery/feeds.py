"""/feed/: an Atom feed of the published articles (site pages are not news), for feed readers.

Links are on CLINIC_SITE_URL, never the request's Host (see discovery/site.py). The clinic is each
entry's author: articles are written and published by the clinic, and checked by a named reviewer.
"""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from articles.models import Article
from practice.models import ClinicDetails

from .site import absolute_url, article_path, last_changed

# As the site's default description (templates/base.html).
SUBTITLE = (
    "Plain, careful information about ketamine treatment for depression, and how to ask the clinic for a consultation."
)


FEED_ENTRIES = 50


class ArticleFeed(Feed):
    feed_type = Atom1Feed
    subtitle = SUBTITLE

    def get_object(self, request, *args, **kwargs):
        return ClinicDetails.load()

    def title(self, clinic):
        return f"{clinic.name}: articles"

    def link(self):
        return absolute_url(reverse("articles:list"))

    def feed_url(self):
        return absolute_url(reverse("discovery:feed"))

    def feed_guid(self):
        return self.feed_url()

    def author_name(self, clinic):
        return clinic.name

    def author_link(self):
        return absolute_url(reverse("pages:home"))

    def items(self):
        """The newest FEED_ENTRIES articles: a feed reader asks again and again, and needs only what is new."""
        fields = ("title", "slug", "summary", "published_at", "updated_at")
        return Article.objects.published().listed().only(*fields).order_by("-published_at", "pk")[:FEED_ENTRIES]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Atom's summary is written with type="html": the plain summary is escaped to stay plain text.
        return escape(item.summary)

    def item_link(self, item):
        return absolute_url(article_path(item.slug))

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return last_changed(item)

    def item_author_name(self, item):
        return ClinicDetails.load().name

    def item_author_link(self, item):
        return self.author_link()
