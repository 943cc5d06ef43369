"""The pre-check's questions, in the order a person meets them: wording and answer choices in one place.

The rules (rules.py) read the stored values; the form (forms.py) shows the labels; the result page
repeats the labels back, so a person sees their own answers. Wording follows ../shared/CONTENT.md
(its second edition's list of who should not have ketamine) and content/is-ketamine-right-for-me.md,
in plain words (tests keep it at reading grade 8 or lower).
"""

from dataclasses import dataclass

from django.db import models


class Age(models.TextChoices):
    ADULT = "adult", "18 or older"
    UNDER_18 = "under-18", "Under 18"


class Depression(models.TextChoices):
    DIAGNOSED = "diagnosed", "Yes, a doctor or therapist has told me I have depression"
    SYMPTOMS = "symptoms", "I think so, but no one has told me I have it"
    NO = "no", "No"
    NOT_SURE = "not-sure", "I'm not sure"


class Antidepressants(models.TextChoices):
    NONE = "none", "None"
    ONE = "one", "One"
    TWO_OR_MORE = "two-or-more", "Two or more"
    NOT_SURE = "not-sure", "I'm not sure"


class SuicidalThoughts(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    RATHER_NOT_SAY = "rather-not-say", "I'd rather not say"


class Condition(models.TextChoices):
    """Health problems that usually rule ketamine out (CONTENT.md, "Who should not have it")."""

    BLOOD_PRESSURE = "blood-pressure", "High blood pressure that is not under control"
    ANEURYSM = "aneurysm", "An aneurysm, a weak, bulging blood vessel in the brain, chest, belly or limbs"
    AVM = "avm", "An AVM (arteriovenous malformation), a tangle of blood vessels that can bleed"
    BRAIN_BLEED = "brain-bleed", "Bleeding in the brain, at any time"
    PSYCHOSIS = "psychosis", "Psychosis, at any time: losing touch with what is real"
    ALLERGY = "allergy", "An allergy to ketamine or esketamine"
    NOT_SURE = "not-sure", "I'm not sure about one of these"
    NONE = "none", "None of these"


class SubstanceUse(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_SURE = "not-sure", "I'm not sure"
    RATHER_NOT_SAY = "rather-not-say", "I'd rather not say"


class Pregnancy(models.TextChoices):
    YES = "yes", "Yes, I am pregnant or breastfeeding"
    MAYBE = "maybe", "I could be pregnant"
    NO = "no", "No, or this does not apply to me"


class RideHome(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_SURE = "not-sure", "I'm not sure yet"


class Care(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


@dataclass(frozen=True)
class Question:
    name: str
    label: str
    choices: type[models.TextChoices]
    required_message: str
    hint: str = ""
    multiple: bool = False


QUESTIONS = (
    Question("age", "How old are you?", Age, "Choose your age group."),
    Question(
        "depression",
        "Do you have depression?",
        Depression,
        "Choose the answer about depression that fits you best.",
        hint="For example, you feel low or empty, or you have lost interest in things, "
        "most days for two weeks or more.",
    ),
    Question(
        "antidepressants",
        "How many antidepressant medicines have you tried?",
        Antidepressants,
        "Choose how many antidepressants you have tried.",
        hint="Count one only if you took it at the dose your doctor set, for long enough to work. "
        "That is often 4 to 6 weeks or more.",
    ),
    Question(
        "suicidal_thoughts",
        "Are you having thoughts of suicide or of harming yourself right now?",
        SuicidalThoughts,
        "Choose an answer about thoughts of suicide. You can choose \u201cI'd rather not say\u201d.",
        hint="If you are, the next page shows you how to get help at once.",
    ),
    Question(
        "conditions",
        "Do any of these apply to you?",
        Condition,
        "Choose all that apply, or \u201cNone of these\u201d.",
        hint="Choose all that apply.",
        multiple=True,
    ),
    Question(
        "substance_use",
        "Do you have a problem with alcohol or drugs right now?",
        SubstanceUse,
        "Choose an answer about alcohol and drugs. You can choose \u201cI'd rather not say\u201d.",
        hint="For example, it is hard to control how much you use, or it causes problems in your life.",
    ),
    Question(
        "pregnancy",
        "Are you pregnant or breastfeeding, or could you be pregnant?",
        Pregnancy,
        "Choose an answer about pregnancy.",
    ),
    Question(
        "ride_home",
        "After each treatment, could someone take you home?",
        RideHome,
        "Choose whether someone could take you home.",
        hint="After a treatment you cannot drive until the next day, after a full night's sleep.",
    ),
    Question(
        "care",
        "Are you seeing a doctor or therapist for your mental health now?",
        Care,
        "Choose whether you are seeing a doctor or therapist.",
    ),
)
QUESTIONS_BY_NAME = {question.name: question for question in QUESTIONS}
