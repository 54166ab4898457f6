"""Error pages speak plainly and leak nothing."""

from __future__ import annotations

from django.test import Client, override_settings
from django.urls import path

from amends.urls import urlpatterns as project_urls


def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [*project_urls, path("boom/", _boom)]
handler500 = "amends.core.views.server_error"


def test_unknown_address_gets_the_plain_language_404(client_for):
    response = client_for("coordinator").get("/no-such-page/")
    assert response.status_code == 404
    assert "There is nothing here that you can see" in response.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_a_crash_gets_the_plain_language_500_without_details(db):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong on our side" in body
    assert "a bug" not in body
    assert "Traceback" not in body


def test_health_answers_without_signing_in(db):
    response = Client().get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
