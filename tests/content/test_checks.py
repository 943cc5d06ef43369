"""Each check in checks.py reports a planted problem, at the right file and line."""

from pathlib import Path

import pytest

from articles.loading import parse_file
from tests.content.checks import (
    REQUIRED_RISK_TERMS,
    ContentFile,
    check_banned_phrases,
    check_reading_grade,
    check_references,
    check_renders,
    check_review,
    check_risk_terms,
    check_slug,
    find_banned_phrases,
)
from tests.content.readability import reading_grade


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), start=1) if needle in line)


@pytest.mark.django_db  # the loader looks the reviewer up
def test_the_planted_defaults_pass_every_check(write_article):
    doc = ContentFile.read(write_article())
    checks = [check_reading_grade, check_banned_phrases, check_references, check_review, check_slug, check_renders]
    assert [problem for check in checks for problem in check(doc)] == []
    parse_file(doc.path)  # and the project's loader accepts it


def test_reading_grade_check_reports_a_hard_body(write_article):
    hard = (
        "## Pharmacology\n\nKetamine's antidepressant pharmacodynamics, incorporating N-methyl-D-aspartate receptor "
        "antagonism, subsequent glutamatergic neurotransmission, alpha-amino-3-hydroxy-5-methyl-4-isoxazolepropionic "
        "acid receptor potentiation and brain-derived neurotrophic factor liberation, remain incompletely "
        "characterised notwithstanding considerable investigational endeavour.\n"
    )
    doc = ContentFile.read(write_article(body=hard))
    [problem] = check_reading_grade(doc)
    grade = reading_grade(hard)
    assert grade > 12
    assert str(problem).startswith(f"{doc.path}: reading grade {grade:.1f}, above 8; hardest sentences:")


def test_banned_phrase_check_reports_every_hit_by_line(write_article):
    body = (
        "## Results\n\n"
        "Ketamine cured my depression, it is guaranteed.\n\n"
        "- It is a MIRACLE and it Cures pain.\n"
        "- It is not addictive and has no side effects.\n\n"
        "Call 1-800-273-8255. Our IV ketamine is FDA-approved.\n"
    )
    path = write_article(summary="A cure for depression.", body=body)
    problems = [str(problem) for problem in check_banned_phrases(ContentFile.read(path))]
    summary, results = line_of(path, "summary:"), line_of(path, "cured my")
    assert problems == [
        f"{path}:{summary}: cure",
        f"{path}:{results}: cured",
        f"{path}:{results}: guaranteed",
        f"{path}:{results + 2}: miracle",
        f"{path}:{results + 2}: cures",
        f"{path}:{results + 3}: not addictive",
        f"{path}:{results + 3}: no side effects",
        f"{path}:{results + 5}: 1-800-273",
        f"{path}:{results + 5}: FDA-approved about IV ketamine",
    ]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Ketamine is not a cure.", []),
        ("There is no cure-all, and ketamine does not cure depression.", []),
        ("Results are not guaranteed. Keep your home secure.", []),
        ("Ketamine can cure depression.", ["cure"]),
        ("It has cured many people. No doubt it cures.", ["cured", "cures"]),
        ("Results are guaranteed.", ["guaranteed"]),
        ("It is not a miracle.", ["miracle"]),
        ("Ketamine isn't addictive; it is non-addictive.", ["not addictive", "not addictive"]),
        ("Call 988, or 800-273-TALK.", ["1-800-273"]),
        # FDA approval: a claim about IV ketamine is banned; the negated, correct statements are not.
        ("IV ketamine is FDA-approved for depression.", ["FDA-approved about IV ketamine"]),
        ("Each infusion uses an FDA approved medicine.", ["FDA-approved about IV ketamine"]),
        ("Intravenous ketamine was approved by the FDA for depression.", ["FDA-approved about IV ketamine"]),
        ("The FDA has approved our IV treatment.", ["FDA-approved about IV ketamine"]),
        ("Our IV ketamine is FDA-approved and not addictive.", ["FDA-approved about IV ketamine", "not addictive"]),
        ("Don't worry: IV ketamine is FDA-approved.", ["FDA-approved about IV ketamine"]),
        ("IV ketamine is not FDA-approved for depression.", []),
        ("There is no FDA-approved IV ketamine for depression.", []),
        ("IV ketamine is FDA-approved as an anesthetic, but not for depression.", []),
        ("Intravenous ketamine has not been approved by the FDA for any mental health condition.", []),
        ("IV ketamine isn't FDA approved.", []),
        ("Spravato is FDA-approved; IV ketamine is not.", []),
        ("Spravato is FDA-approved, but IV ketamine for depression is off-label.", []),
        ("### Is IV ketamine FDA-approved?\n\nNo.", []),
        ("Spravato is FDA-approved. IV ketamine is given through a drip.", []),
        ("## Spravato and IV ketamine: what the FDA has approved", []),
        ("- Spravato is FDA-approved\n- IV ketamine is given through a drip", []),
    ],
)
def test_banned_phrase_rules(text, found):
    assert [phrase for _, phrase in find_banned_phrases(text)] == found


def test_reference_check_reports_too_few_and_off_site_references(write_article):
    references = [
        {"title": "A study", "publisher": "Journal of Examples", "year": 2020, "url": "http://example.org/study"},
        {"title": "Another", "publisher": "Lancet Psychiatry", "year": "soon", "url": "https://example.org/two"},
        {"title": "A DOI", "publisher": "JAMA Psychiatry", "year": 2017, "url": "https://doi.org/10.1001/x"},
        {"title": "", "publisher": "U.S. Food and Drug Administration", "year": 2023, "url": "https://www.jnj.com/x"},
    ]
    path = write_article(references=references)
    line = line_of(path, "references:")
    assert [str(problem) for problem in check_references(ContentFile.read(path))] == [
        f"{path}:{line}: references[1]: url must be an https:// address, not 'http://example.org/study'",
        f"{path}:{line}: references[2]: year 'soon' is not a year",
        f"{path}:{line}: references[4]: missing title",
        f"{path}:{line}: 0 reference(s) link to the publisher's own site; at least 2 needed (doi.org links do not "
        "count); publishers not in PUBLISHER_DOMAINS (add their domain in tests/content/test_articles.py): "
        "'Journal of Examples', 'Lancet Psychiatry'; "
        "not on the publisher's domain: 'U.S. Food and Drug Administration' links to www.jnj.com",
    ]
    one = write_article(slug="one", references=references[2:3])
    assert [problem.message for problem in check_references(ContentFile.read(one))][:1] == [
        "1 reference(s); at least 2 needed"
    ]


def test_review_check_reports_a_missing_reviewer_and_reversed_dates(write_article):
    path = write_article(reviewer="", last_reviewed="2027-05-01", next_review_due="2026-11-01")
    assert [str(problem) for problem in check_review(ContentFile.read(path))] == [
        f"{path}:{line_of(path, 'reviewer:')}: reviewer is empty: name the reviewing clinician's slug",
        f"{path}:{line_of(path, 'next_review_due:')}: next_review_due 2026-11-01 is not after last_reviewed 2027-05-01",
    ]
    same_day = write_article(slug="same-day", last_reviewed="2026-11-01", next_review_due="2026-11-01")
    assert [problem.message for problem in check_review(ContentFile.read(same_day))] == [
        "next_review_due 2026-11-01 is not after last_reviewed 2026-11-01"
    ]


def test_risk_check_lists_the_missing_terms(write_article):
    body = "## Side effects\n\nYou may feel dissociation, nausea and a rise in blood pressure and heart rate.\n"
    doc = ContentFile.read(write_article(body=body))
    [problem] = check_risk_terms(doc)
    labels = [label for label, _ in REQUIRED_RISK_TERMS]
    named = {"dissociation", "nausea", "blood pressure", "heart rate"}
    missing = [label for label in labels if label not in named]
    assert problem.message == f"does not name {len(missing)} required risk(s): {', '.join(missing)}"


def test_risk_terms_accept_plain_language_wording(write_article):
    body = """\
## During and after

You may feel dissociation (detached), or sedation (very sleepy). Ketamine can slow your breathing, which is
why oxygen is checked. Blood pressure and heart rate go up. Memory and attention may be off for a while.
Some people feel anxious. Nausea and **vomiting** can happen. Some people need to pee more often.

## Misuse

Misuse and dependence are possible: ketamine is a Schedule III drug. Frequent high-dose misuse harms the
bladder and liver. Like all antidepressants, it carries a warning about suicidal thoughts for people aged 24
and younger.

## Who should not have it

- an aneurysm or an arteriovenous malformation
- a past bleed in the brain
- uncontrolled high blood pressure
- a history of psychosis
- an active substance use disorder
- pregnancy or breastfeeding
- an allergy to ketamine or esketamine
- under 18

## Other medicines

Benzodiazepines, opioids and alcohol add sleepiness. Stimulants and MAO inhibitors raise blood pressure.
"""
    assert check_risk_terms(ContentFile.read(write_article(body=body))) == []


def test_slug_check_reports_a_slug_unlike_the_file_name(write_article):
    path = write_article(slug="other-name", file_name="planted")
    assert [str(problem) for problem in check_slug(ContentFile.read(path))] == [
        f"{path}:{line_of(path, 'slug:')}: slug 'other-name' must match the file name (planted.md)"
    ]


def test_render_check_reports_an_unclosed_tag_by_file_line(write_article):
    path = write_article(body="## Part\n\nText.\n\n<style>\n\nThe rest of the article.\n")
    [problem] = check_renders(ContentFile.read(path))
    assert problem.line == line_of(path, "<style>")
    assert problem.message.startswith("<style> is never closed")
