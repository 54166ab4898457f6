"""Every route × every role: the right answer, and refusals change nothing."""

from __future__ import annotations

import pytest

from amends.core.testing.matrix import (
    ANONYMOUS,
    collect_routes,
    domain_snapshot,
    project_url_names,
)
from conftest import CAST_MEMBERS

ROUTES = collect_routes()
PEOPLE = [*CAST_MEMBERS, ANONYMOUS]


def test_every_url_of_ours_has_rows_in_the_matrix():
    covered = {route.url_name for route in ROUTES}
    missing = project_url_names() - covered
    assert not missing, f"add these views to a tests/matrix.py: {sorted(missing)}"


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.id)
@pytest.mark.parametrize("person", PEOPLE)
def test_route_answers_each_person_as_the_policy_says(route, person, cast, client_for):
    # given
    allowed = person in route.allowed
    client = client_for(
        None if person == ANONYMOUS else person,
        reauthenticated=route.reauthenticate and allowed and person != ANONYMOUS,
    )
    # The route's records (e.g. `cast.case`) are built before the snapshot is taken.
    url, data = route.url(cast), _encode(route.data(cast))
    before = domain_snapshot()
    # when
    response = client.generic(
        route.method,
        url,
        data=data,
        content_type="application/x-www-form-urlencoded",
    )
    # then
    assert response.status_code == route.expected_status(person), response.content[:500]
    if person == ANONYMOUS and not allowed and route.anonymous_status == 302:
        assert "/accounts/login/" in response["Location"]
    if not allowed and route.method == "POST":
        assert domain_snapshot() == before


def _encode(data):
    from urllib.parse import urlencode

    return urlencode(data, doseq=True)
