"""Platform administrators can look at a programme's configuration in the admin, and
nobody can change it there: it changes only through the services, versioned and audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amends.programmes.models import EligibilityPolicy

MODELS = [
    "programmesettings",
    "offencecategory",
    "eligibilitypolicy",
    "assessmenttemplate",
    "informationsheet",
]


@pytest.mark.parametrize("model", MODELS)
def test_platform_administrator_reads_the_configuration_in_the_admin(cast, client_for, model):
    response = client_for("platform_admin").get(reverse(f"admin:programmes_{model}_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_nobody_adds_configuration_in_the_admin(cast, client_for, model):
    response = client_for("platform_admin").get(reverse(f"admin:programmes_{model}_add"))
    assert response.status_code == 403


def test_a_published_policy_cannot_be_changed_or_deleted_in_the_admin(cast, client_for):
    policy = EligibilityPolicy.objects.get(programme=cast.programme, version=1)
    client = client_for("platform_admin")
    change = client.post(
        reverse("admin:programmes_eligibilitypolicy_change", args=[policy.pk]),
        {"conditions": "rewritten"},
    )
    delete = client.post(
        reverse("admin:programmes_eligibilitypolicy_delete", args=[policy.pk]), {"post": "yes"}
    )
    assert change.status_code == 403
    assert delete.status_code == 403
    assert EligibilityPolicy.objects.get(pk=policy.pk).conditions == ""
