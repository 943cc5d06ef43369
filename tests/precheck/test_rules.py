"""precheck/rules.py: every outcome rule, every contraindication, and the crisis rule over all others."""

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from precheck.questions import (
    QUESTIONS,
    Age,
    Antidepressants,
    Care,
    Condition,
    Depression,
    Pregnancy,
    RideHome,
    SubstanceUse,
    SuicidalThoughts,
)
from precheck.rules import FINDINGS, Answers, Kind, evaluate

# Everything pointing to "worth talking to us": each test changes only the answer it is about.
WORTH = Answers(
    age=Age.ADULT,
    depression=Depression.DIAGNOSED,
    antidepressants=Antidepressants.TWO_OR_MORE,
    suicidal_thoughts=SuicidalThoughts.NO,
    conditions=frozenset({Condition.NONE}),
    substance_use=SubstanceUse.NO,
    pregnancy=Pregnancy.NO,
    ride_home=RideHome.YES,
    care=Care.YES,
)
# CONTENT.md's "who should not have it", as the pre-check asks about them.
RULED_OUT = [Condition.ANEURYSM, Condition.AVM, Condition.BRAIN_BLEED, Condition.PSYCHOSIS, Condition.ALLERGY]
REAL_CONDITIONS = [value for value in Condition.values if value not in (Condition.NONE,)]

answers = st.builds(
    Answers,
    age=st.sampled_from(Age.values),
    depression=st.sampled_from(Depression.values),
    antidepressants=st.sampled_from(Antidepressants.values),
    suicidal_thoughts=st.sampled_from(SuicidalThoughts.values),
    # As the form allows: "None of these" alone, or any other boxes together.
    conditions=st.one_of(
        st.just(frozenset({Condition.NONE.value})), st.frozensets(st.sampled_from(REAL_CONDITIONS), min_size=1)
    ),
    substance_use=st.sampled_from(SubstanceUse.values),
    pregnancy=st.sampled_from(Pregnancy.values),
    ride_home=st.sampled_from(RideHome.values),
    care=st.sampled_from(Care.values),
)


def expected_kind(a: Answers) -> Kind:
    """The rules restated from CONTENT.md, independently of FINDINGS."""
    if (
        a.age == Age.UNDER_18
        or a.conditions & set(RULED_OUT)
        or a.substance_use == SubstanceUse.YES
        or a.pregnancy == Pregnancy.YES
    ):
        return Kind.NOT_OFFERED
    if (
        a.depression != Depression.DIAGNOSED
        or a.antidepressants != Antidepressants.TWO_OR_MORE
        or a.conditions & {Condition.BLOOD_PRESSURE, Condition.NOT_SURE}
        or a.substance_use == SubstanceUse.NOT_SURE
        or a.pregnancy == Pregnancy.MAYBE
        or a.suicidal_thoughts == SuicidalThoughts.YES
    ):
        return Kind.DOCTOR_FIRST
    return Kind.WORTH_TALKING


def answered(outcome_reasons) -> list[tuple[str, str]]:
    return [(reason.question, reason.answer) for reason in outcome_reasons]


def test_all_clear_is_worth_talking_to_us_with_the_persons_own_answers_as_reasons():
    outcome = evaluate(WORTH)
    assert outcome.kind == Kind.WORTH_TALKING and not outcome.crisis and outcome.notes == ()
    assert answered(outcome.reasons) == [
        ("How old are you?", "18 or older"),
        ("Do you have depression?", "Yes, a doctor or therapist has told me I have depression"),
        ("How many antidepressant medicines have you tried?", "Two or more"),
        ("Do any of these apply to you?", "None of these"),
        ("After each treatment, could someone take you home?", "Yes"),
        ("Are you seeing a doctor or therapist for your mental health now?", "Yes"),
    ]


@pytest.mark.parametrize(
    ("change", "question", "answer"),
    [
        ({"age": Age.UNDER_18}, "How old are you?", "Under 18"),
        *(
            ({"conditions": frozenset({condition})}, "Do any of these apply to you?", condition.label)
            for condition in RULED_OUT
        ),
        (
            {"substance_use": SubstanceUse.YES},
            "Do you have a problem with alcohol or drugs right now?",
            "Yes",
        ),
        (
            {"pregnancy": Pregnancy.YES},
            "Are you pregnant or breastfeeding, or could you be pregnant?",
            "Yes, I am pregnant or breastfeeding",
        ),
    ],
    ids=lambda value: str(value)[:40],
)
def test_each_contraindication_is_not_something_we_can_offer(change, question, answer):
    outcome = evaluate(replace(WORTH, **change))
    assert outcome.kind == Kind.NOT_OFFERED
    assert answered(outcome.reasons) == [(question, answer)]  # only the answer that rules it out


@pytest.mark.parametrize(
    ("change", "answer"),
    [
        ({"depression": Depression.SYMPTOMS}, "I think so, but no one has told me I have it"),
        ({"depression": Depression.NO}, "No"),
        ({"depression": Depression.NOT_SURE}, "I'm not sure"),
        ({"antidepressants": Antidepressants.NONE}, "None"),
        ({"antidepressants": Antidepressants.ONE}, "One"),
        ({"antidepressants": Antidepressants.NOT_SURE}, "I'm not sure"),
        ({"conditions": frozenset({Condition.BLOOD_PRESSURE})}, Condition.BLOOD_PRESSURE.label),
        ({"conditions": frozenset({Condition.NOT_SURE})}, "I'm not sure about one of these"),
        ({"substance_use": SubstanceUse.NOT_SURE}, "I'm not sure"),
        ({"pregnancy": Pregnancy.MAYBE}, "I could be pregnant"),
        ({"suicidal_thoughts": SuicidalThoughts.YES}, "Yes"),
    ],
    ids=lambda value: str(value)[:40],
)
def test_answers_to_talk_over_with_your_own_doctor_first(change, answer):
    outcome = evaluate(replace(WORTH, **change))
    assert outcome.kind == Kind.DOCTOR_FIRST
    assert [reason.answer for reason in outcome.reasons] == [answer]


@pytest.mark.parametrize(
    ("change", "answer"),
    [
        ({"ride_home": RideHome.NO}, "No"),
        ({"ride_home": RideHome.NOT_SURE}, "I'm not sure yet"),
        ({"care": Care.NO}, "No"),
        ({"substance_use": SubstanceUse.RATHER_NOT_SAY}, "I'd rather not say"),
        ({"suicidal_thoughts": SuicidalThoughts.RATHER_NOT_SAY}, "I'd rather not say"),
    ],
    ids=lambda value: str(value)[:40],
)
def test_practical_answers_and_rather_not_say_are_notes_that_change_no_outcome(change, answer):
    outcome = evaluate(replace(WORTH, **change))
    assert outcome.kind == Kind.WORTH_TALKING and not outcome.crisis
    assert [note.answer for note in outcome.notes] == [answer]


def test_uncontrolled_blood_pressure_with_a_rule_out_is_not_offered_and_the_rest_is_to_talk_over():
    outcome = evaluate(replace(WORTH, conditions=frozenset({Condition.BLOOD_PRESSURE, Condition.PSYCHOSIS})))
    assert outcome.kind == Kind.NOT_OFFERED
    assert [reason.answer for reason in outcome.reasons] == [Condition.PSYCHOSIS.label]
    assert [note.answer for note in outcome.notes] == [Condition.BLOOD_PRESSURE.label]


def test_every_answer_to_every_question_is_accounted_for():
    """A new answer choice needs a decision: an outcome, a note, or knowingly nothing."""
    silent = {(question.name, value) for question in QUESTIONS for value in question.choices.values} - set(FINDINGS)
    assert silent == {
        ("suicidal_thoughts", "no"),
        ("substance_use", "no"),
        ("pregnancy", "no"),
    }


@given(answers)
def test_the_outcome_is_the_most_careful_one_any_answer_points_to(a):
    assert evaluate(a).kind == expected_kind(a)


@given(answers)
def test_current_thoughts_of_suicide_always_raise_the_crisis_flag_and_never_lead_to_booking(a):
    outcome = evaluate(replace(a, suicidal_thoughts=SuicidalThoughts.YES))
    assert outcome.crisis
    assert outcome.kind != Kind.WORTH_TALKING
    said = [*outcome.reasons, *outcome.notes]
    assert ("Are you having thoughts of suicide or of harming yourself right now?", "Yes") in answered(said)


@given(answers)
def test_no_crisis_flag_without_current_thoughts_of_suicide(a):
    assert evaluate(a).crisis == (a.suicidal_thoughts == SuicidalThoughts.YES)


@given(answers)
def test_every_reason_is_one_of_the_persons_own_answers(a):
    outcome = evaluate(a)
    assert outcome.reasons, "an outcome always says why"
    given_answers = {(question, answer) for question, chosen in a.in_words() for answer in chosen}
    assert set(answered([*outcome.reasons, *outcome.notes])) <= given_answers
    assert not set(outcome.reasons) & set(outcome.notes)
