"""find_unclosed_tags: the tags in an article's Markdown that would hide the rest of it, by line."""

from articles.markdown import UnclosedTag, find_unclosed_tags


def test_unclosed_tags_are_reported_by_line_and_name():
    assert find_unclosed_tags("## Part\n\nIntro.\n\n<style>\n\nMore text.\n") == [UnclosedTag(line=5, tag="style")]
    assert find_unclosed_tags("Intro\n<Script src=x> and more.\n") == [UnclosedTag(line=2, tag="script")]
    # Only the second <style> lacks an end: the first ends at the first </style>.
    text = "<style>p {}</style>\n\nA <template>x</template> and <style>\n"
    assert find_unclosed_tags(text) == [UnclosedTag(line=3, tag="style")]
    # A second <style> before any end tag: the first would run to that end tag, hiding the text between.
    assert find_unclosed_tags("<style>\n\nSome text.\n\n<style>p {}</style>\n") == [UnclosedTag(line=1, tag="style")]


def test_closed_tags_are_not_reported():
    assert find_unclosed_tags("<style>p {}</style>\n\nText <script>x()</script> and <textarea>y</textarea>.\n") == []


def test_tags_written_as_code_are_not_reported():
    text = (
        "Write `<style>` or ``<script>``, or &lt;title&gt; as an entity.\n\n"
        "    <style>\n    indented code\n\n"
        "- A list item\n\n        <template>\n"
    )
    assert find_unclosed_tags(text) == []


def test_markdown_decides_what_is_code():
    # A line starting with a tag begins an HTML block, even between backticks: no code span here.
    assert find_unclosed_tags("Use `a\n<style>` here.\n\nText after.\n") == [UnclosedTag(line=2, tag="style")]
