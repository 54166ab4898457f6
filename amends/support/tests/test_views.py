"""The support pages: who sees which referrals, the directory, and bad input."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from amends.core.testing.matrix import domain_snapshot
from amends.support.models import Partner, ReferralStatus, SupportReferral
from amends.support.tests.helpers import add_partner, agree_to_share, harmed, refer, responsible


def _case_url(name, case, referral=None):
    args = [case.reference] if referral is None else [case.reference, referral.pk]
    return reverse(f"support:{name}", args=args)


def test_an_advocate_sees_only_their_clients_referrals(cast, case, client_for):
    partner = add_partner(cast, service_types=["counselling", "substance_use"])
    for who in (harmed(case), responsible(case)):
        agree_to_share(cast, who)
    mine = refer(cast, case, partner, note="Help with sleep.")
    theirs = refer(
        cast,
        case,
        partner,
        participant=responsible(case),
        service_type="substance_use",
        note="Wants to stop drinking.",
    )
    client = client_for("advocate")
    page = client.get(_case_url("case", case)).content.decode()
    assert _case_url("referral", case, mine) in page
    assert _case_url("referral", case, theirs) not in page
    assert "Ray" not in page
    assert client.get(_case_url("referral", case, theirs)).status_code == 404
    detail = client.get(_case_url("referral", case, mine)).content.decode()
    assert "Help with sleep." in detail
    assert "Record what happened" not in detail


def test_a_referral_without_consent_says_why_on_the_page_and_changes_nothing(
    cast, case, client_for
):
    partner = add_partner(cast)
    before = domain_snapshot()
    response = client_for("coordinator").post(
        _case_url("referral_add", case),
        {
            "participant": harmed(case).pk,
            "partner": partner.pk,
            "service_type": "counselling",
            "sent_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "The referral was not sent." in content
    assert "has no active consent to share information" in content
    assert domain_snapshot() == before


def test_a_referral_form_with_bad_input_says_why_and_changes_nothing(cast, case, client_for):
    add_partner(cast)
    before = domain_snapshot()
    response = client_for("coordinator").post(
        _case_url("referral_add", case), {"participant": "999", "sent_on": "yesterday"}
    )
    assert response.status_code == 400
    assert "The referral was not sent." in response.content.decode()
    assert domain_snapshot() == before


def test_a_partner_and_a_referral_go_round_the_loop_through_the_pages(cast, case, client_for):
    coordinator = client_for("coordinator")
    response = coordinator.post(
        reverse("support:partner_add", args=[cast.programme.slug]),
        {
            "name": "Shire Law Centre",
            "service_types": ["legal", "housing"],
            "languages": "en, cy",
            "regions": "Northshire",
            "email": "advice@lawcentre.example",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    partner = Partner.objects.get()
    assert partner.languages == ["en", "cy"]
    agree_to_share(cast, harmed(case), partner_name="Shire Law Centre")
    today = timezone.localdate().isoformat()
    coordinator.post(
        _case_url("referral_add", case),
        {
            "participant": harmed(case).pk,
            "partner": partner.pk,
            "service_type": "housing",
            "sent_on": today,
        },
    )
    referral = SupportReferral.objects.get()
    coordinator.post(
        _case_url("referral_update", case, referral),
        {"status": "declined", "happened_on": today, "note": "Full"},
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED
    page = client_for("facilitator").get(reverse("support:partners", args=[cast.programme.slug]))
    content = page.content.decode()
    assert "Shire Law Centre" in content
    assert "English, Welsh" in content
    assert "Add a partner" not in content


def test_a_bad_partner_form_says_why_and_changes_nothing(cast, client_for):
    before = domain_snapshot()
    response = client_for("supervisor").post(
        reverse("support:partner_add", args=[cast.programme.slug]),
        {"name": "Somewhere", "service_types": ["legal"], "website": "ftp://files.example"},
    )
    assert response.status_code == 400
    assert "The website must be an address starting with https://" in response.content.decode()
    assert domain_snapshot() == before
