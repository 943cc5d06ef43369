"""What a visitor typed, as terms for each database: no database needed."""

import pytest

from search.parsing import MAX_QUERY_LENGTH, clean_query, parse_query


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("  ketamine   bladder ", "ketamine bladder"),
        ("ketamine\x00bladder", "ketamine bladder"),  # PostgreSQL refuses NUL in text
        ("a\tb\nc\rd\x1b[0m\x7f", "a b c d [0m"),
        ("zero\u200bwidth\u202eright-to-left", "zero width right-to-left"),
        ("\ue000marked\ue001", "marked"),  # the snippet markers can never come from a visitor
        ("caf\u00e9 \ufffd", "caf\u00e9 \ufffd"),  # an undecodable byte, as Django decodes it, stays
    ],
)
def test_clean_query_removes_control_and_invisible_characters(raw, cleaned):
    assert clean_query(raw) == (cleaned, False)


def test_a_long_query_is_cut_at_a_space():
    text, cut = clean_query("ketamine " * 100)
    assert cut and len(text) <= MAX_QUERY_LENGTH and text.split() == ["ketamine"] * (len(text.split()))
    assert text.endswith("ketamine")
    one_word, cut = clean_query("k" * 500)
    assert cut and one_word == "k" * MAX_QUERY_LENGTH
    assert clean_query("k" * MAX_QUERY_LENGTH) == ("k" * MAX_QUERY_LENGTH, False)


@pytest.mark.parametrize(
    ("query", "websearch", "fts5"),
    [
        ("ketamine bladder", '"ketamine" "bladder"', '("ketamine" AND "bladder")'),
        ("How does KETAMINE work?", '"ketamine" "work"', '("ketamine" AND "work")'),
        ('"side effects" -bladder', '"side effects" -"bladder"', '("side effects" NOT "bladder")'),
        ('"ketamine for depression"', '"ketamine for depression"', '("ketamine for depression")'),
        ("esketamine OR spravato", '"esketamine" or "spravato"', '("esketamine") OR ("spravato")'),
        ("a or -b or c", '"c"', '("c")'),  # an alternative of little words or -words only is dropped
        ("self-harm don't", '"self-harm"', '("self-harm")'),  # "don't" is two little words
        ('NEAR("pain relief") AND x*', '"near" "pain relief" "x"', '("near" AND "pain relief" AND "x")'),
        ('"unclosed phrase', '"unclosed phrase"', '("unclosed phrase")'),
        ('say "', '"say"', '("say")'),
    ],
)
def test_terms_for_each_database(query, websearch, fts5):
    terms = parse_query(query)
    assert (terms.websearch(), terms.fts5()) == (websearch, fts5)


@pytest.mark.parametrize("query", ["", "the", "-ketamine", "or", "*** ^^^", '"of the"', "- -"])
def test_nothing_to_look_for(query):
    assert not parse_query(query)


@pytest.mark.parametrize("query", ['"', '"a" "', '" OR "', '""""', "'\"'", '\\"x'])
def test_a_quote_never_reaches_either_database_unpaired(query):
    for text in (parse_query(query).websearch(), parse_query(query).fts5()):
        assert text.count('"') % 2 == 0
