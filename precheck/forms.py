"""The pre-check's questions as a form: one radio group (or checkbox group) per question, each a fieldset
with its question as the legend."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout, Submit
from django import forms

from web.public_forms import HONEYPOT, PublicFormMixin

from .questions import QUESTIONS, Condition, SuicidalThoughts
from .rules import Answers

CONDITIONS_CLASH = "You chose \u201cNone of these\u201d and something else as well. Choose again."


class PrecheckForm(PublicFormMixin, forms.Form):
    """Every question is required: "not sure" and "I'd rather not say" are offered where they are honest."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Nothing is stored or sent, so a bot filling the form in gains nothing: no honeypot to skip.
        del self.fields[HONEYPOT]
        for question in QUESTIONS:
            field_class, widget = (
                (forms.MultipleChoiceField, forms.CheckboxSelectMultiple)
                if question.multiple
                else (forms.ChoiceField, forms.RadioSelect)
            )
            self.fields[question.name] = field_class(
                label=question.label,
                help_text=question.hint,
                choices=question.choices.choices,
                widget=widget(attrs={"class": "form-check-input"}),
                error_messages={"required": question.required_message, "invalid_choice": question.required_message},
            )
        # "None of these" cannot go with another box (clean_conditions); the page sets it apart with an "or".
        self.fields["conditions"].exclusive_choice = Condition.NONE
        self.helper = self.build_helper()

    @staticmethod
    def build_helper() -> FormHelper:
        helper = FormHelper()
        helper.form_id = "precheck-form"
        helper.form_action = "precheck:check"
        # No CSRF token: the view is csrf_exempt (see views.py), and a token would set a cookie.
        helper.disable_csrf = True
        helper.attrs = {"novalidate": ""}  # our messages, not the browser's, so they match the summary
        helper.layout = Layout(
            *(Field(question.name, template="precheck/_question.html") for question in QUESTIONS),
            Submit("submit", "See my result", css_class="button"),
        )
        return helper

    def clean_conditions(self):
        chosen = self.cleaned_data["conditions"]
        if Condition.NONE in chosen and len(chosen) > 1:
            raise forms.ValidationError(CONDITIONS_CLASH)
        return chosen

    def answers(self) -> Answers:
        """The valid form's answers, for rules.evaluate()."""
        data = {question.name: self.cleaned_data[question.name] for question in QUESTIONS}
        return Answers(**{**data, "conditions": frozenset(data["conditions"])})

    def in_crisis(self) -> bool:
        """Whether the suicide question was answered "yes", even on a form with other answers missing."""
        self.is_valid()
        return self.cleaned_data.get("suicidal_thoughts") == SuicidalThoughts.YES
