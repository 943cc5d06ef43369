"""No permission that reaches a consultation request works with a password alone: the code is needed too."""

from itertools import combinations

import pytest
from django.urls import reverse

from tests.factories import current_totp, enroll_totp, make_consultation, make_staff

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
CHANGELIST = reverse("admin:consultations_consultationrequest_changelist")
MESSAGE = "I have not slept properly since the accident."
ACTIONS = ("view", "change", "delete", "export")
# Every non-empty set of consultation permissions (15), and a superuser, who holds them all.
SUBSETS = [actions for size in range(1, 5) for actions in combinations(ACTIONS, size)]
ACCOUNTS = [pytest.param(actions, False, id="+".join(actions)) for actions in SUBSETS]
ACCOUNTS += [pytest.param(ACTIONS, True, id="superuser")]


def make_account(actions, superuser):
    permissions = [f"consultations.{action}_consultationrequest" for action in actions]
    return make_staff(username="triage", superuser=superuser, permissions=() if superuser else permissions)


def every_way_in(client, consultation) -> dict:
    """The list, the record, its history, and the CSV export: each shows what the visitor wrote."""
    return {
        "changelist": client.get(CHANGELIST),
        "change": client.get(reverse("admin:consultations_consultationrequest_change", args=[consultation.pk])),
        "history": client.get(reverse("admin:consultations_consultationrequest_history", args=[consultation.pk])),
        "export": client.post(CHANGELIST, {"action": "export_csv", "_selected_action": [consultation.pk]}),
    }


@pytest.mark.parametrize(("actions", "superuser"), ACCOUNTS)
def test_consultation_requests_need_the_code_whatever_the_permissions(client, actions, superuser):
    consultation = make_consultation(message=MESSAGE)
    user = make_account(actions, superuser)

    client.force_login(user)  # the password was right; no code yet
    for way, response in every_way_in(client, consultation).items():
        assert response.status_code == 302 and response["Location"].startswith(LOGIN), way
        assert MESSAGE not in response.content.decode(), way

    code = current_totp(enroll_totp(user))
    response = client.post(LOGIN, {"username": "triage", "password": "correct-horse-battery", "otp_token": code})
    assert response.status_code == 302, "the code should sign them in"
    can_see = "view" in actions or "change" in actions  # Django admin lets change permission view too
    responses = every_way_in(client, consultation)
    for way in ("changelist", "change", "history"):
        assert responses[way].status_code == (200 if can_see else 403), way
    assert (MESSAGE in responses["change"].content.decode()) == can_see
    export = responses["export"]
    exported = export.get("Content-Type", "").startswith("text/csv")
    assert exported == (can_see and "export" in actions)
    assert (MESSAGE in export.content.decode()) == exported
