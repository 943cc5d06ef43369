"""sync_content and export_content: every path, through the management commands."""

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles.loading import FRONT_MATTER_KEYS, article_to_text, split_front_matter
from articles.models import Article, Reference

pytestmark = pytest.mark.django_db

REPO_CONTENT = Path(__file__).resolve().parents[2] / "content"


def write(directory: Path, name: str, *, title: str = "A title", body: str = "## Part\n\nText.\n", **overrides) -> Path:
    meta = {
        "title": title,
        "slug": name,
        "summary": "One sentence.",
        "topic": "care",
        "kind": "guide",
        "featured": "false",
        "order": "1",
        "status": "published",
        "published_at": "2026-11-01",
        "reviewer": "medical-reviewer",
        "last_reviewed": "2026-11-01",
        "next_review_due": "2027-05-01",
        **overrides,
    }
    lines = [f"{key}: {value}" for key, value in meta.items() if value is not None]
    references = 'references:\n  - title: "A source"\n    publisher: "NIMH"\n    year: 2024\n    url: "https://www.nimh.nih.gov/"\n'
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.md"
    path.write_text("---\n" + "\n".join(lines) + "\n" + references + "---\n\n" + body, encoding="utf-8")
    return path


def sync(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("sync_content", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def content(settings) -> Path:
    return settings.CLINIC_CONTENT_DIR


def test_creates_articles_with_references_and_rendered_html(content):
    write(content, "what-to-expect", title="What to expect", published_at="2026-11-01")
    out, err = sync()
    assert "1 created, 0 updated, 0 unchanged, 0 skipped." in out
    article = Article.objects.get(slug="what-to-expect")
    assert article.title == "What to expect"
    assert '<h2 id="part">Part</h2>' in article.body_html
    assert timezone.localtime(article.published_at).date() == dt.date(2026, 11, 1)
    assert list(article.references.values_list("title", "publisher", "year")) == [("A source", "NIMH", 2024)]
    assert not err


def test_second_run_is_idempotent(content, django_assert_max_num_queries):
    write(content, "one")
    write(content, "two")
    sync()
    with django_assert_max_num_queries(7):  # flat: no query per unchanged article (one reads the clinicians)
        out, _ = sync()
    assert "0 created, 0 updated, 2 unchanged, 0 skipped." in out
    assert Article.objects.count() == 2 and Reference.objects.count() == 2


def test_changed_file_updates_an_article_staff_have_not_touched(content):
    write(content, "one", title="Old")
    sync()
    write(content, "one", title="New", body="## New part\n")
    out, _ = sync()
    assert "0 created, 1 updated" in out
    article = Article.objects.get(slug="one")
    assert article.title == "New" and "new-part" in article.body_html
    assert article.references.count() == 1


def test_article_edited_in_admin_is_skipped_with_a_warning_then_forced(content):
    write(content, "one", title="From file")
    sync()
    article = Article.objects.get(slug="one")
    article.title = "Edited by staff"
    article.save()
    write(content, "one", title="Changed file")
    out, err = sync()
    assert "0 updated, 0 unchanged, 1 skipped." in out
    assert "Skipped one: edited in admin since the last sync (use --force to overwrite)." in err
    assert Article.objects.get(slug="one").title == "Edited by staff"

    out, _ = sync("--force")
    assert "1 updated" in out
    assert Article.objects.get(slug="one").title == "Changed file"


def test_staff_edit_of_references_counts_as_an_edit(content):
    write(content, "one")
    sync()
    Reference.objects.update(title="Edited source")
    write(content, "one", title="Changed file")
    out, _ = sync()
    assert "1 skipped" in out


def test_article_created_in_admin_with_the_same_slug_is_not_overwritten(content):
    from tests.factories import make_article

    make_article(slug="one", title="Made in admin")
    write(content, "one")
    out, _ = sync()
    assert "1 skipped" in out
    assert Article.objects.get(slug="one").title == "Made in admin"


def test_dry_run_reports_but_writes_nothing(content):
    write(content, "one")
    out, _ = sync("--dry-run")
    assert "Dry run, nothing written. Would have: 1 created" in out
    assert not Article.objects.exists()


def test_verbosity_two_lists_each_article(content):
    write(content, "one")
    out, _ = sync("--verbosity", "2")
    assert "created: one" in out


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": None}, "title", "is required"),
        ({"last_reviewed": "2026-13-45"}, "last_reviewed", "invalid date"),
        ({"published_at": "next tuesday"}, "published_at", "is not a date"),
        ({"topic": "astrology"}, "topic", "not a valid choice"),
        ({"slug": "other-name"}, "slug", "must match the file name"),
        ({"colour": "blue"}, "colour", "unknown key"),
        ({"next_review_due": "2020-01-01"}, "next_review_due", "must be on or after the last review"),
    ],
)
def test_invalid_front_matter_names_file_and_field_and_changes_nothing(content, overrides, field, message):
    write(content, "aaa-good")  # sorted first: would be created if the run were not atomic
    write(content, "bad", **overrides)
    with pytest.raises(CommandError) as error:
        sync()
    assert f"bad.md: {field}:" in str(error.value)
    assert message in str(error.value)
    assert "nothing was changed" in str(error.value)
    assert not Article.objects.exists()


def test_bad_reference_is_reported_by_position(content):
    path = write(content, "one")
    path.write_text(path.read_text().replace('url: "https://www.nimh.nih.gov/"', 'url: "not a url"'))
    with pytest.raises(CommandError, match=r"one.md: references\[1\].url: Enter a valid URL"):
        sync()


def test_unclosed_style_is_refused_with_file_line_and_tag(content):
    write(content, "aaa-good")  # sorted first: would be created if the run were not atomic
    path = write(content, "bad", body="## Part\n\nIntro.\n\n<style>\n\n## The rest\n\nWould vanish.\n")
    line = path.read_text().splitlines().index("<style>") + 1  # counted in the file, front matter included
    with pytest.raises(CommandError) as error:
        sync()
    assert f"bad.md: line {line}: <style> is never closed" in str(error.value)
    assert "nothing was changed" in str(error.value)
    assert not Article.objects.exists()


def test_tags_written_as_code_are_loaded(content):
    write(content, "html-basics", body="## Part\n\nA `<style>` tag holds CSS:\n\n    <style>\n    p { color: red }\n")
    sync()
    assert "<code>&lt;style&gt;</code>" in Article.objects.get(slug="html-basics").body_html


def test_missing_front_matter_and_broken_yaml_are_reported(content):
    content.mkdir(parents=True)
    (content / "plain.md").write_text("# No front matter\n")
    with pytest.raises(CommandError, match="plain.md: front matter: the file must start with a '---' line"):
        sync()
    (content / "plain.md").write_text("---\ntitle: [unclosed\n---\n")
    with pytest.raises(CommandError, match="plain.md: front matter: not valid YAML"):
        sync()


def test_duplicate_slug_is_reported(content, tmp_path):
    write(content, "one")
    (content / "copy.md").write_text((content / "one.md").read_text().replace("slug: one", "slug: copy"))
    sync()  # distinct slugs are fine
    # The same slug twice can only happen if two files claim it; the file-name rule catches that first.
    (content / "copy.md").write_text((content / "one.md").read_text())
    with pytest.raises(CommandError, match="copy.md: slug: 'one' must match the file name"):
        sync()


def test_missing_directory_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        sync("--dir", str(tmp_path / "nowhere"))


def test_export_writes_files_that_sync_reads_back_unchanged(content, tmp_path):
    write(content, "one", title='"Title: with a colon"', body="## Part\n\nText with *emphasis*.\n")
    sync()
    article = Article.objects.get(slug="one")
    article.body += "\nAdded in admin.\n"
    article.save()

    out = StringIO()
    call_command("export_content", stdout=out)
    assert "Exported 1 articles." in out.getvalue()
    assert "Added in admin." in (content / "one.md").read_text()
    out, _ = sync()
    assert "1 unchanged" in out  # the export brought file and database back in step

    write(content, "one", title="Later file change")
    out, _ = sync()
    assert "1 updated" in out  # and later file changes flow in again


def test_file_format_keeps_its_keys_and_order(content):
    """The keys come from Article.SYNCED_FIELDS and Reference.CONTENT_FIELDS; the files must not change with them."""
    write(content, "one")
    sync()
    meta, body = split_front_matter(content / "one.md", article_to_text(Article.objects.get(slug="one")))
    assert list(meta) == [
        "title", "slug", "summary", "topic", "kind", "featured", "order", "status", "published_at",
        "reviewer", "last_reviewed", "next_review_due", "references",
    ]  # fmt: skip
    assert FRONT_MATTER_KEYS["featured"] == "is_featured" and "body" not in FRONT_MATTER_KEYS
    assert [list(ref) for ref in meta["references"]] == [["title", "publisher", "year", "url"]]
    assert body == "## Part\n\nText.\n"


def test_export_of_unknown_slug_fails(content):
    with pytest.raises(CommandError, match="No article with slug: nope"):
        call_command("export_content", "nope")


def test_export_keeps_scheduled_times(content):
    from tests.factories import make_article

    when = timezone.make_aware(dt.datetime(2027, 1, 5, 9, 30))
    article = make_article(slug="later", published_at=when)
    text = article_to_text(article)
    assert "published_at: 2027-01-05 09:30:00-05:00" in text
    call_command("export_content", "later", stdout=StringIO())
    Article.objects.all().delete()
    sync()
    assert Article.objects.get(slug="later").published_at == when


def test_the_shipped_content_loads_cleanly(settings):
    out, _ = sync("--dir", str(REPO_CONTENT))
    files = len(list(REPO_CONTENT.glob("*.md")))
    assert files >= 16 and f"{files} created" in out
    assert Article.objects.published().count() == files
    assert Article.objects.get(slug="faq").kind == "faq"
    assert Article.objects.filter(is_featured=True).count() >= 3
    for article in Article.objects.all():
        assert article.references.exists(), article.slug
