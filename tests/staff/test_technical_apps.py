"""Technical apps (sign-in attempts, two-factor devices, background tasks) are for superusers only:
other staff never see them in admin's lists, even when granted their permissions."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import log_in_verified, make_staff

pytestmark = pytest.mark.django_db

TECHNICAL = {
    "axes": ["accessattempt", "accesslog", "accessfailurelog"],
    "otp_totp": ["totpdevice"],
    "otp_static": ["staticdevice"],
    "django_tasks_database": ["dbtaskresult"],
}
TECHNICAL_LINKS = [reverse(f"admin:{app}_{model}_changelist") for app, models in TECHNICAL.items() for model in models]
GRANTED = [f"{app}.view_{model}" for app, models in TECHNICAL.items() for model in models]
ARTICLES = reverse("admin:articles_article_changelist")


def test_staff_who_are_not_superusers_never_see_the_technical_apps(client):
    log_in_verified(client, make_staff(superuser=False, permissions=[*GRANTED, "articles.view_article"]))
    index = client.get(reverse("admin:index"))
    sidebar = client.get(ARTICLES)  # the navigation sidebar lists the same apps
    for page in (index, sidebar):
        assertContains(page, f'href="{ARTICLES}"')
        for link in TECHNICAL_LINKS:
            assertNotContains(page, f'href="{link}"')
        for name in ("Access attempts", "Access failures", "Access logs", "TOTP devices", "Static devices"):
            assertNotContains(page, f">{name}</a>")
    for app in TECHNICAL:
        assert client.get(reverse("admin:app_list", args=[app])).status_code == 404


def test_superusers_still_see_them(client):
    log_in_verified(client, make_staff())
    for page in (client.get(reverse("admin:index")), client.get(ARTICLES)):
        for link in TECHNICAL_LINKS:
            assertContains(page, f'href="{link}"')
    for app in TECHNICAL:
        assert client.get(reverse("admin:app_list", args=[app])).status_code == 200
