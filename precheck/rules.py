"""The pre-check's rules: answers in, an Outcome out. Pure: no request, no database, no log.

Each answer may carry a finding: the outcome it points to, and why, in plain words. The most careful
outcome any answer points to is the result (not offered > talk to your doctor first > worth talking
to us); the answers that led there are its reasons, listed back in the person's own words. Answers
that change nothing but matter (no ride home, no doctor or therapist) are notes. Current thoughts of
suicide set the crisis flag, whatever else was answered: the page then opens with the ways to get help.

This is a guide for deciding whether to ask, never a diagnosis: only a clinician decides, at screening.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from .questions import (
    QUESTIONS,
    QUESTIONS_BY_NAME,
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


class Kind(StrEnum):
    WORTH_TALKING = "worth-talking"
    DOCTOR_FIRST = "doctor-first"
    NOT_OFFERED = "not-offered"


# From least to most careful: the most careful outcome any answer points to wins.
CAREFULNESS = (Kind.WORTH_TALKING, Kind.DOCTOR_FIRST, Kind.NOT_OFFERED)
NOTE = None  # a finding that changes no outcome but is worth knowing

USUALLY_NOT = "Ketamine is usually not given if you"
FIND_A_RIDE = (
    "You will need someone to take you home after each treatment. Think about who could help before you ask us."
)

# (question, answer) -> (the outcome it points to, or NOTE; why). An answer not listed says nothing.
FINDINGS: dict[tuple[str, str], tuple[Kind | None, str]] = {
    ("age", Age.ADULT): (Kind.WORTH_TALKING, "Ketamine treatment is for adults."),
    ("age", Age.UNDER_18): (Kind.NOT_OFFERED, "Ketamine is not given to anyone under 18, except in research studies."),
    ("depression", Depression.DIAGNOSED): (Kind.WORTH_TALKING, "Ketamine may help some people with depression."),
    ("depression", Depression.SYMPTOMS): (
        Kind.DOCTOR_FIRST,
        "Your own doctor can check if it is depression, and talk about the first steps of care.",
    ),
    ("depression", Depression.NO): (
        Kind.DOCTOR_FIRST,
        "We use ketamine to treat depression. Your own doctor can help with what is troubling you.",
    ),
    ("depression", Depression.NOT_SURE): (Kind.DOCTOR_FIRST, "Your own doctor can check if it is depression."),
    ("antidepressants", Antidepressants.TWO_OR_MORE): (
        Kind.WORTH_TALKING,
        "Ketamine is mostly used when at least two antidepressants have not helped enough.",
    ),
    ("antidepressants", Antidepressants.NONE): (
        Kind.DOCTOR_FIRST,
        "Ketamine is mostly used when at least two antidepressants have not helped enough. "
        "Your doctor can talk with you about what to try first.",
    ),
    ("antidepressants", Antidepressants.ONE): (
        Kind.DOCTOR_FIRST,
        "Ketamine is mostly used when at least two antidepressants have not helped enough. "
        "Your doctor can talk with you about what to try next.",
    ),
    ("antidepressants", Antidepressants.NOT_SURE): (
        Kind.DOCTOR_FIRST,
        "Your doctor or pharmacist can help you list the medicines you have tried, the doses and for how long.",
    ),
    # The crisis flag puts the ways to get help first; the answer also asks for care before anything else.
    ("suicidal_thoughts", SuicidalThoughts.YES): (
        Kind.DOCTOR_FIRST,
        "These thoughts need care now. Please reach out, using the numbers at the top of this page. "
        "Tell your own doctor or therapist, too.",
    ),
    ("suicidal_thoughts", SuicidalThoughts.RATHER_NOT_SAY): (
        NOTE,
        "You do not have to tell us. If you ever have these thoughts, call or text 988, day or night.",
    ),
    ("conditions", Condition.BLOOD_PRESSURE): (
        Kind.DOCTOR_FIRST,
        "Ketamine raises blood pressure for a while, so it is not given while blood pressure is not under control. "
        "Your doctor can help bring it under control.",
    ),
    ("conditions", Condition.ANEURYSM): (Kind.NOT_OFFERED, f"{USUALLY_NOT} have an aneurysm."),
    ("conditions", Condition.AVM): (Kind.NOT_OFFERED, f"{USUALLY_NOT} have an AVM."),
    ("conditions", Condition.BRAIN_BLEED): (Kind.NOT_OFFERED, f"{USUALLY_NOT} have had bleeding in the brain."),
    ("conditions", Condition.PSYCHOSIS): (Kind.NOT_OFFERED, f"{USUALLY_NOT} have ever had psychosis."),
    ("conditions", Condition.ALLERGY): (Kind.NOT_OFFERED, "Ketamine is not given if you are allergic to it."),
    ("conditions", Condition.NOT_SURE): (Kind.DOCTOR_FIRST, "Your doctor can tell you if any of these apply to you."),
    ("conditions", Condition.NONE): (
        Kind.WORTH_TALKING,
        "None of the health problems that most often rule ketamine out apply to you.",
    ),
    ("substance_use", SubstanceUse.YES): (
        Kind.NOT_OFFERED,
        f"{USUALLY_NOT} have a problem with alcohol or drugs right now. Help for that comes first.",
    ),
    ("substance_use", SubstanceUse.NOT_SURE): (
        Kind.DOCTOR_FIRST,
        "Your doctor can talk this through with you, in private, and without judging you.",
    ),
    ("substance_use", SubstanceUse.RATHER_NOT_SAY): (
        NOTE,
        "That is fine. At screening, a clinician asks everyone about alcohol and drugs, in private.",
    ),
    ("pregnancy", Pregnancy.YES): (
        Kind.NOT_OFFERED,
        "Ketamine is usually not given while you are pregnant or breastfeeding.",
    ),
    ("pregnancy", Pregnancy.MAYBE): (
        Kind.DOCTOR_FIRST,
        "Ketamine is usually not given during pregnancy. Your doctor can help you find out first.",
    ),
    ("ride_home", RideHome.YES): (Kind.WORTH_TALKING, "You will need someone to take you home after each treatment."),
    ("ride_home", RideHome.NO): (NOTE, FIND_A_RIDE),
    ("ride_home", RideHome.NOT_SURE): (NOTE, FIND_A_RIDE),
    ("care", Care.YES): (Kind.WORTH_TALKING, "Ketamine is usually added to the care you have now."),
    ("care", Care.NO): (
        NOTE,
        "Ketamine is usually added to your care. It does not replace it. "
        "It helps to have your own doctor or therapist as well.",
    ),
}


@dataclass(frozen=True)
class Answers:
    """One value per question (questions.py); `conditions` is the set of boxes ticked."""

    age: str
    depression: str
    antidepressants: str
    suicidal_thoughts: str
    conditions: frozenset[str]
    substance_use: str
    pregnancy: str
    ride_home: str
    care: str

    def items(self) -> list[tuple[str, str]]:
        """(question name, value) pairs in the order the questions are asked; a pair per ticked box."""
        pairs = []
        for question in QUESTIONS:
            value = getattr(self, question.name)
            if question.multiple:
                pairs.extend((question.name, choice) for choice in question.choices.values if choice in value)
            else:
                pairs.append((question.name, value))
        return pairs

    def in_words(self) -> list[tuple[str, list[str]]]:
        """Each question and the answers chosen, as the person saw them: for the result page and its print."""
        shown = {}
        for name, value in self.items():
            shown.setdefault(QUESTIONS_BY_NAME[name].label, []).append(answer_label(name, value))
        return list(shown.items())


@dataclass(frozen=True)
class Reason:
    """One answer, as the person gave it, and what it means."""

    question: str
    answer: str
    why: str


@dataclass(frozen=True)
class Outcome:
    kind: Kind
    reasons: tuple[Reason, ...]  # the answers that led to this outcome
    notes: tuple[Reason, ...] = field(default=())  # other answers to talk about
    crisis: bool = False  # current thoughts of suicide: the ways to get help come first
    under_18: bool = False  # other options for adults (ECT, TMS) are not the ones to point a young person to


def answer_label(name: str, value: str) -> str:
    return QUESTIONS_BY_NAME[name].choices(value).label


def evaluate(answers: Answers) -> Outcome:
    findings = []
    for name, value in answers.items():
        if (name, value) in FINDINGS:
            kind, why = FINDINGS[name, value]
            findings.append((kind, Reason(QUESTIONS_BY_NAME[name].label, answer_label(name, value), why)))
    kind = max((found for found, _ in findings if found is not NOTE), key=CAREFULNESS.index, default=Kind.WORTH_TALKING)
    return Outcome(
        kind=kind,
        reasons=tuple(reason for found, reason in findings if found == kind),
        # Notes, and what else to talk over with a doctor when the outcome is "not something we can offer".
        notes=tuple(reason for found, reason in findings if found is NOTE or found not in (kind, Kind.WORTH_TALKING)),
        crisis=answers.suicidal_thoughts == SuicidalThoughts.YES,
        under_18=answers.age == Age.UNDER_18,
    )
