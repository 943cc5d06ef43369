"""Reading the thank-you redirect: after a saved request the form redirects to
/consultation/thanks/<the request's reference, signed>/ (consultations.views.redirect_to_thanks)."""

from django.urls import resolve

from consultations.views import read_thanks_token


def thanked_reference(response) -> str:
    """The reference a redirect to the thank-you page carries; fails unless the response is that redirect."""
    assert response.status_code == 302, response.status_code
    location = response["Location"]
    match = resolve(location)
    assert match.view_name == "consultations:thanks" and "token" in match.kwargs, location
    reference = read_thanks_token(match.kwargs["token"])
    assert reference, location
    return reference
