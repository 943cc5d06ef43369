"""Step 1b, in-process: the site with SCALE_ARTICLES generated articles on top of the real ones.

The articles are made inside a transaction that is rolled back at the end, so the database the servers use
afterwards holds only the site's own content. Their text is the real articles' paragraphs, shuffled with a
fixed seed, so words are as common or as rare as on the site. Measured, without the page cache:

- site search (search.query.search_articles, one page of ranked results with snippets) for a set of queries,
  common, rare, stemmed, several words and no match, SEARCH_RUNS times each;
- /sitemap.xml and the article list's first and last pages, through django.test.Client, PAGE_RUNS times each.

Budgets (bench/config.py): search p95 over all queries and sitemap p95.
"""

import random
import re
import statistics
import time
from datetime import timedelta

from .config import BASE_DIR, SCALE_ARTICLES

SEARCH_QUERIES = (
    "ketamine",  # in most articles
    "bladder",
    "blood pressure",
    "treatments",  # stemmed: finds "treatment"
    "side effects",
    "what to expect",
    "insurance cost",
    '"crisis line"',
    "dissociation -spravato",
    "zebra",  # no match
)
SCALE_PAGES = ("sitemap", "list", "list, last page")
SEARCH_RUNS, PAGE_RUNS, WARMUPS = 20, 20, 3
TOPICS = ("treatment", "care", "support")


class Rollback(Exception):
    """Raised to leave the transaction that made the generated articles."""


def paragraphs_of_the_real_articles() -> list[str]:
    found = []
    for path in sorted((BASE_DIR / "content").glob("*.md")):
        body = path.read_text().split("\n---\n", 1)[-1]  # after the front matter
        found += [p.strip() for p in re.split(r"\n\s*\n", body) if len(p.strip()) > 80 and p.strip()[0].isalpha()]
    return found


def make_articles(count: int, seed: int = 13) -> None:
    """`count` published articles of 10 to 16 sections, each a paragraph of the real articles."""
    from django.utils import timezone

    from articles.models import Article, Status
    from practice.models import Clinician

    rng = random.Random(seed)
    paragraphs = paragraphs_of_the_real_articles()
    words = sorted({w for p in paragraphs for w in re.findall(r"[a-z]{6,}", p)})
    reviewer = Clinician.objects.filter(reviews_content=True).first()
    today = timezone.localdate()
    for number in range(count):
        chosen = rng.sample(paragraphs, rng.randint(10, 16))
        body = "\n\n".join(f"## Part {i}\n\n{paragraph}" for i, paragraph in enumerate(chosen, 1))
        title = " ".join(rng.sample(words, 4)).capitalize()
        Article(
            title=f"{title} ({number})",
            slug=f"generated-{number}",
            summary=chosen[0][:290],
            topic=rng.choice(TOPICS),
            body=body,
            order=number,
            status=Status.PUBLISHED,
            published_at=timezone.now() - timedelta(days=1),
            reviewer=reviewer,
            last_reviewed=today,
            next_review_due=today + timedelta(days=365),
        ).save()


def timings_ms(action, runs: int) -> list[float]:
    for _ in range(WARMUPS):
        action()
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        out.append((time.perf_counter() - started) * 1000)
    return out


def summary(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[max(0, round(0.95 * len(ordered)) - 1)], 2),
        "max_ms": round(ordered[-1], 2),
        "runs": len(ordered),
    }


def measure_scale() -> dict:
    """Make the articles, measure, roll back. Django must be set up (bench.inprocess.setup_django)."""
    from django.db import connection, transaction
    from django.test import Client

    from articles.models import Article
    from articles.views import ArticleListView
    from search.query import search_articles

    results: dict = {}
    try:
        with transaction.atomic():
            make_articles(SCALE_ARTICLES)
            published = Article.objects.published().count()
            results["articles"] = published
            everything, per_query = [], {}
            for text in SEARCH_QUERIES:
                found = search_articles(text)
                samples = timings_ms(lambda text=text: search_articles(text), SEARCH_RUNS)
                everything += samples
                per_query[text] = {**summary(samples), "results": found.total}
            results["search"] = {**summary(everything), "queries": per_query}
            client = Client(HTTP_HOST="127.0.0.1")
            pages = -(-Article.objects.published().listed().count() // ArticleListView.PER_PAGE)
            last_page = f"/articles/page/{pages}/" if pages > 1 else "/articles/"
            paths = {"sitemap": "/sitemap.xml", "list": "/articles/", "list, last page": last_page}
            for name in SCALE_PAGES:
                path = paths[name]
                status = client.get(path).status_code
                if status != 200:
                    raise RuntimeError(f"{path} answered {status} with {published} articles")
                results[name] = {"path": path, **summary(timings_ms(lambda path=path: client.get(path), PAGE_RUNS))}
            raise Rollback
    except Rollback:
        pass
    finally:
        connection.close()
    return results
