"""Moving articles between content/<slug>.md files and the database.

`sync_content` loads files into the database without ever overwriting an article that staff edited
in admin since the last sync; `export_content` writes the database's articles back to files.
Each article remembers the checksum of its content at the last sync or export: if the database copy
still matches it, staff have not touched the article and the file may update it.
"""

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .markdown import find_unclosed_tags
from .models import Article, Reference

# Front matter keys are the model's field names, except for names that read better in a file.
FILE_KEY_FOR_FIELD = {"is_featured": "featured"}
FRONT_MATTER_KEYS = {  # file key: model field; the body is the text after the front matter, not a key
    FILE_KEY_FOR_FIELD.get(name, name): name for name in Article.SYNCED_FIELDS if name != "body"
}
REQUIRED_KEYS = ["title", "slug", "summary", "topic", "reviewer", "last_reviewed", "next_review_due"]


class FrontMatterLoader(yaml.SafeLoader):
    """YAML without automatic dates, so a bad date is reported by field, like any other value."""


FrontMatterLoader.yaml_implicit_resolvers = {
    first: [resolver for resolver in resolvers if resolver[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class ContentError(Exception):
    """A content file that cannot be loaded; the message names the file and the field (or line)."""

    def __init__(self, path: Path, field: str, message: str):
        self.path, self.field = path, field
        super().__init__(f"{path.name}: {field}: {message}")


@dataclass
class Source:
    path: Path
    fields: dict
    references: list[dict]

    @property
    def slug(self) -> str:
        return self.fields["slug"]

    def checksum(self) -> str:
        return Article(**self.fields).content_checksum(references=self.references)


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # edited in admin since the last sync


def split_front_matter(path: Path, text: str) -> tuple[dict, str]:
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise ContentError(path, "front matter", "the file must start with a '---' line")
    for end, line in enumerate(lines[1:], start=1):  # noqa: B007 - `end` is read after the loop
        if line.strip() == "---":
            break
    else:
        raise ContentError(path, "front matter", "no closing '---' line")
    try:
        meta = yaml.load("".join(lines[1:end]), Loader=FrontMatterLoader) or {}  # noqa: S506 - safe loader
    except yaml.YAMLError as error:
        raise ContentError(path, "front matter", f"not valid YAML ({error})") from error
    if not isinstance(meta, dict):
        raise ContentError(path, "front matter", "must be a mapping of keys to values")
    return meta, "".join(lines[end + 1 :]).lstrip("\n")


def parse_published_at(path: Path, value) -> dt.datetime:
    """A date (midnight, clinic time) or an ISO date and time, with or without an offset."""
    try:
        value = dt.datetime.fromisoformat(str(value))
    except ValueError as error:
        raise ContentError(path, "published_at", f"'{value}' is not a date or date and time") from error
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def clinicians_by_slug() -> dict:
    """Every clinician, by slug: what a file's `reviewer` may name (practice.Clinician, through the field)."""
    return {c.slug: c for c in Article._meta.get_field("reviewer").related_model.objects.all()}


def find_reviewer(path: Path, slug, clinicians: dict):
    """The clinician a file names as its reviewer, by slug: one who exists and reviews articles."""
    reviewer = clinicians.get(str(slug))
    if reviewer is None or not reviewer.reviews_content:
        known = ", ".join(sorted(s for s, c in clinicians.items() if c.reviews_content)) or "none yet"
        problem = "does not review articles" if reviewer else "is not a clinician's slug"
        raise ContentError(
            path, "reviewer", f"'{slug}' {problem} (reviewers: {known}; staff add them under Clinicians in admin)"
        )
    return reviewer


def parse_file(path: Path, clinicians: dict | None = None) -> Source:
    """Read and validate one file, raising ContentError on the first problem."""
    text = path.read_text(encoding="utf-8")
    meta, body = split_front_matter(path, text)
    unknown = sorted(set(meta) - set(FRONT_MATTER_KEYS) - {"references"})
    if unknown:
        raise ContentError(path, unknown[0], "unknown key (allowed: " + ", ".join(FRONT_MATTER_KEYS) + ", references)")
    for key in REQUIRED_KEYS:
        if meta.get(key) in (None, ""):
            raise ContentError(path, key, "is required")
    if meta["slug"] != path.stem:
        raise ContentError(path, "slug", f"'{meta['slug']}' must match the file name ({path.stem}.md)")

    fields = {FRONT_MATTER_KEYS[key]: value for key, value in meta.items() if key != "references"}
    fields["body"] = body
    fields["reviewer"] = find_reviewer(path, meta["reviewer"], clinicians or clinicians_by_slug())
    if "published_at" in fields:
        fields["published_at"] = parse_published_at(path, fields["published_at"])
    article = Article(**fields)
    try:
        article.full_clean(validate_unique=False, validate_constraints=False)  # clean() checks the dates
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        key = next((k for k, f in FRONT_MATTER_KEYS.items() if f == name), name)
        raise ContentError(path, key, " ".join(messages)) from error
    if unclosed := find_unclosed_tags(body):
        lines_before_body = text.count("\n", 0, len(text) - len(body))
        raise ContentError(path, f"line {lines_before_body + unclosed[0].line}", unclosed[0].problem)

    references = meta.get("references") or []
    if not isinstance(references, list):
        raise ContentError(path, "references", "must be a list")
    cleaned = []
    for number, ref in enumerate(references, start=1):
        where = f"references[{number}]"
        if not isinstance(ref, dict) or set(ref) != set(Reference.CONTENT_FIELDS):
            raise ContentError(path, where, "needs exactly: " + ", ".join(Reference.CONTENT_FIELDS))
        try:
            Reference(article=article, **ref).full_clean(exclude=["article"])
        except ValidationError as error:
            name, messages = next(iter(error.message_dict.items()))
            raise ContentError(path, f"{where}.{name}", " ".join(messages)) from error
        cleaned.append({key: ref[key] for key in Reference.CONTENT_FIELDS})
    # Keep model defaults (kind, status, ...) for keys a file leaves out, as full_clean saw them.
    fields = {name: getattr(article, name) for name in Article.SYNCED_FIELDS}
    return Source(path=path, fields=fields, references=cleaned)


def read_sources(directory: Path) -> list[Source]:
    if not directory.is_dir():
        raise ContentError(directory, "directory", "does not exist")
    sources, seen, clinicians = [], {}, clinicians_by_slug()
    for path in sorted(directory.glob("*.md")):
        source = parse_file(path, clinicians)
        if source.slug in seen:
            raise ContentError(path, "slug", f"'{source.slug}' is also used by {seen[source.slug].name}")
        seen[source.slug] = path
        sources.append(source)
    return sources


def write_article(article: Article, source: Source) -> None:
    for name, value in source.fields.items():
        setattr(article, name, value)
    article.synced_checksum = source.checksum()
    article.save()
    article.references.all().delete()
    Reference.objects.bulk_create(
        Reference(article=article, position=position, **ref) for position, ref in enumerate(source.references)
    )


def sync_content(directory: Path, *, force: bool = False, dry_run: bool = False) -> SyncReport:
    """Load every file into the database in one transaction; any invalid file changes nothing."""
    sources = read_sources(directory)
    report = SyncReport()
    with transaction.atomic():
        articles = Article.objects.select_related("reviewer").prefetch_related("references")
        existing = {article.slug: article for article in articles}
        for source in sources:
            article = existing.get(source.slug)
            if article is None:
                write_article(Article(), source)
                report.created.append(source.slug)
                continue
            current, incoming = article.content_checksum(), source.checksum()
            if current == incoming:
                if article.synced_checksum != incoming:
                    Article.objects.filter(pk=article.pk).update(synced_checksum=incoming)
                report.unchanged.append(source.slug)
            elif current == article.synced_checksum or force:
                write_article(article, source)
                report.updated.append(source.slug)
            else:
                report.skipped.append(source.slug)
        if dry_run:
            transaction.set_rollback(True)
    return report


def article_to_text(article: Article) -> str:
    """The content/<slug>.md text for an article, which sync_content reads back unchanged."""
    published_at = timezone.localtime(article.published_at)
    if published_at.time() == dt.time():
        published_at = published_at.date()
    meta = {key: getattr(article, name) for key, name in FRONT_MATTER_KEYS.items()}
    meta = {key: str(value) if isinstance(value, str) else value for key, value in meta.items()}  # plain str, not enums
    meta["reviewer"] = article.reviewer.slug
    meta["published_at"] = published_at
    meta["references"] = [ref.as_dict() for ref in article.references.all()]
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100)
    return f"---\n{front}---\n\n{article.body}"


def export_content(directory: Path, *, slugs: list[str] | None = None) -> list[Path]:
    """Write articles to directory/<slug>.md and mark them as in step with their files."""
    directory.mkdir(parents=True, exist_ok=True)
    articles = Article.objects.select_related("reviewer").prefetch_related("references")
    if slugs:
        articles = articles.filter(slug__in=slugs)
    written = []
    for article in articles:
        path = directory / f"{article.slug}.md"
        path.write_text(article_to_text(article), encoding="utf-8")
        Article.objects.filter(pk=article.pk).update(synced_checksum=article.content_checksum())
        written.append(path)
    return written
