"""The search index: a stored vector with a GIN index on PostgreSQL, an FTS5 table on SQLite, each
kept in step by triggers.

Neither is in a model: each exists on one database only, and Django's SQLite "table remake" (used by
many articles migrations) would otherwise carry a PostgreSQL column into SQLite, or lose the FTS5
table's triggers silently. search.query reads both; it explains what they hold.
"""

from django.db import migrations

# PostgreSQL ---------------------------------------------------------------------------------------
# The weighted vector is stored in a column of its own, kept by a trigger, with a GIN index on it. An
# index on the expression alone (no stored column) finds articles as fast, but ranking then runs
# to_tsvector on the whole body of every match: ~0.5 ms an article, 300 ms and more for a common
# word at 500 articles. The column is unknown to the Article model (it exists on PostgreSQL only);
# Django never selects it, and inserts and updates leave it to the trigger. A trigger rather than a
# generated column: PostgreSQL refuses to change the type of a column a generated column reads, so
# a later max_length change to the title would fail to migrate.
DOCUMENT_COLUMN = "search_document"
INDEX_NAME = "search_article_document"
CREATE_DOCUMENT = [
    f"ALTER TABLE articles_article ADD COLUMN {DOCUMENT_COLUMN} tsvector NOT NULL DEFAULT ''",
    f"""
    CREATE FUNCTION search_article_document() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.{DOCUMENT_COLUMN} :=
            setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A')
            || setweight(to_tsvector('english', coalesce(NEW.summary, '')), 'B')
            || setweight(to_tsvector('english', coalesce(NEW.plain_text, '')), 'C');
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER search_article_document
    BEFORE INSERT OR UPDATE OF title, summary, plain_text ON articles_article
    FOR EACH ROW EXECUTE FUNCTION search_article_document()
    """,
    "UPDATE articles_article SET title = title",  # the trigger fills the column for existing articles
    # fastupdate off: a new or edited article goes straight into the index, not into GIN's pending
    # list, which the planner prices so high after a batch of saves (sync_content) that it scans the table.
    f"CREATE INDEX {INDEX_NAME} ON articles_article USING gin ({DOCUMENT_COLUMN}) WITH (fastupdate = off)",
]
DROP_DOCUMENT = [
    "DROP TRIGGER IF EXISTS search_article_document ON articles_article",
    "DROP FUNCTION IF EXISTS search_article_document()",
    f"ALTER TABLE articles_article DROP COLUMN IF EXISTS {DOCUMENT_COLUMN}",  # and its index
]


def create_postgresql_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE_DOCUMENT:
            schema_editor.execute(statement)


def drop_postgresql_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP_DOCUMENT:
            schema_editor.execute(statement)


# SQLite -------------------------------------------------------------------------------------------
# Triggers rather than post_save/post_delete signals: they also catch QuerySet.update(), bulk_create,
# raw SQL and data migrations (articles/0007 filled plain_text with update()), and they run in the
# writing transaction. The cost: Django's SQLite "table remake" (AlterField and friends in a future
# articles migration) drops the table's triggers with the old table. tests/search/test_index.py fails
# when that happens; the fix is a new search migration running CREATE_TRIGGERS and REBUILD again.
# The index keeps its own copy of the words (not "external content"), so deleting a row by its id
# never depends on the index agreeing with the table.
CREATE_TABLE = """
    CREATE VIRTUAL TABLE search_articleindex USING fts5(
        title, summary, plain_text, tokenize='porter unicode61 remove_diacritics 2'
    )
"""
CREATE_TRIGGERS = [
    """
    CREATE TRIGGER IF NOT EXISTS search_article_insert AFTER INSERT ON articles_article BEGIN
        INSERT INTO search_articleindex (rowid, title, summary, plain_text)
        VALUES (new.id, new.title, new.summary, new.plain_text);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS search_article_update
    AFTER UPDATE OF id, title, summary, plain_text ON articles_article BEGIN
        DELETE FROM search_articleindex WHERE rowid = old.id;
        INSERT INTO search_articleindex (rowid, title, summary, plain_text)
        VALUES (new.id, new.title, new.summary, new.plain_text);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS search_article_delete AFTER DELETE ON articles_article BEGIN
        DELETE FROM search_articleindex WHERE rowid = old.id;
    END
    """,
]
REBUILD = [
    "DELETE FROM search_articleindex",
    """
    INSERT INTO search_articleindex (rowid, title, summary, plain_text)
    SELECT id, title, summary, plain_text FROM articles_article
    """,
]


def create_sqlite_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in [CREATE_TABLE, *CREATE_TRIGGERS, *REBUILD]:
        schema_editor.execute(statement)


def drop_sqlite_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name in ("insert", "update", "delete"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS search_article_{name}")
    schema_editor.execute("DROP TABLE IF EXISTS search_articleindex")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_article_plain_text"),
    ]

    operations = [
        migrations.RunPython(create_postgresql_index, drop_postgresql_index, elidable=False),
        migrations.RunPython(create_sqlite_index, drop_sqlite_index, elidable=False),
    ]
