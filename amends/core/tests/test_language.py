"""Amends speaks Spanish when asked, through the switcher or the browser, and English
otherwise; the Spanish catalogue has no gaps.

Django reads the compiled catalogue (locale/es/LC_MESSAGES/django.mo), which `make test`
compiles first; when running pytest directly, run `manage.py compilemessages` after editing
the .po file.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

REPO_ROOT = Path(__file__).resolve().parents[3]
SPANISH_CATALOGUE = REPO_ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"


def _body(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_switcher_turns_the_home_page_spanish_and_back(client_for):
    client = client_for("coordinator")
    english = _body(client.get(reverse("home")))
    assert '<html lang="en">' in english
    assert "Your programmes and what your roles let you do in each." in english

    response = client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    spanish = _body(client.get(reverse("home")))
    assert '<html lang="es">' in spanish
    assert "Sus programas y lo que sus roles le permiten hacer en cada uno." in spanish
    assert "Cerrar sesión" in spanish  # navigation
    assert "Coordinador/a" in spanish  # the role's label, from Python code
    assert "Amends — justicia restaurativa, con las garantías incorporadas." in spanish
    assert "Your programmes and what your roles let you do in each." not in spanish

    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    restored = _body(client.get(reverse("home")))
    assert '<html lang="en">' in restored
    assert "Your programmes and what your roles let you do in each." in restored
    assert "Sign out" in restored
    assert "Cerrar sesión" not in restored


def test_the_sign_in_page_follows_the_browsers_language(db):
    spanish = _body(Client().get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="es"))
    assert '<html lang="es">' in spanish
    assert "Saltar al contenido principal" in spanish
    assert "Amends — justicia restaurativa, con las garantías incorporadas." in spanish


def test_without_a_preference_the_sign_in_page_is_english(db):
    english = _body(Client().get(reverse("account_login")))
    assert '<html lang="en">' in english
    assert "Skip to main content" in english
    assert "Saltar al contenido principal" not in english


def test_the_spanish_catalogue_is_complete():
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.fail("msgfmt is missing: install GNU gettext (the Makefile needs it too).")
    result = subprocess.run(  # noqa: S603 - a fixed command on a file of this repository
        [msgfmt, "--check", "--statistics", "--output-file=/dev/null", str(SPANISH_CATALOGUE)],
        capture_output=True,
        text=True,
        check=False,
    )
    # msgfmt prints its statistics on stderr, e.g. "176 translated messages."
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "translated messages" in report, report
    assert "untranslated" not in report, report
    assert "fuzzy" not in report, report
