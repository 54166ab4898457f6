"""Top-level routes. Each app owns its own urls.py."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from amends.core import views as core_views

# Django admin's own sign-in form checks only the password. Sending it to allauth's
# sign-in keeps the second factor (and the lockout, and the audit) in front of /admin/.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", include("amends.accounts.urls")),
    path("programmes/", include("amends.programmes.urls")),
    path("audit/", include("amends.audit.urls")),
    path("referrals/", include("amends.referrals.urls")),
    path("cases/", include("amends.cases.urls")),
    path("cases/", include("amends.assessments.urls")),
    path("cases/", include("amends.consent.urls")),
    path("cases/", include("amends.safety.urls")),
    path("cases/", include("amends.meetings.urls")),
    path("cases/", include("amends.exchanges.urls")),
    path("cases/", include("amends.agreements.urls")),
    path("cases/", include("amends.followups.urls")),
    path("cases/", include("amends.support.urls")),
    path("facilitators/", include("amends.facilitators.urls")),
    path("facilitators/", include("amends.facilitators.matching_urls")),
    path("work/", include("amends.tasks.urls")),
    path("dashboard/", include("amends.dashboard.urls")),
    path("api/v1/", include("amends.api.urls")),
    path("survey/", include("amends.followups.public_urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("health/", core_views.health, name="health"),
]

handler400 = "amends.core.views.bad_request"
handler403 = "amends.core.views.permission_denied"
handler404 = "amends.core.views.page_not_found"
handler500 = "amends.core.views.server_error"
