"""Platform administrators manage organisations and programmes here. Saving goes through
the services, so every change is validated and audited like any other write. A
programme's configuration is shown read-only: it changes on the programme's settings
pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from amends.accounts.models import User
from amends.core.errors import ApplicationError
from amends.programmes import services
from amends.programmes.models import (
    AssessmentTemplate,
    EligibilityPolicy,
    InformationSheet,
    OffenceCategory,
    Organisation,
    Programme,
    ProgrammeSettings,
)


def _actor(request: HttpRequest) -> User:
    # The admin site only lets signed-in platform staff this far.
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


class _ServiceBackedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Programmes and organisations are deactivated, never deleted: cases hang on them.
        return False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    has_add_permission = has_view_permission
    has_change_permission = has_view_permission

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # The model form has already checked what the services check (unique names and
        # slugs, superuser only), so a refusal here is a bug and surfaces as one.
        saved = self.save_through_service(request, obj, form, change)
        obj.pk = saved.pk

    def save_through_service(
        self,
        request: HttpRequest,
        obj: Any,
        form: Any,
        change: bool,
    ) -> Any:
        if change:
            changes = {field: form.cleaned_data[field] for field in form.changed_data}
            return services.record_update(actor=_actor(request), instance=obj, changes=changes)
        return self.create(request, form)

    def create(self, request: HttpRequest, form: Any) -> Any:
        raise ApplicationError("This model has no create service.")


@admin.register(Organisation)
class OrganisationAdmin(_ServiceBackedAdmin):
    list_display = ("name", "slug", "created_at")
    search_fields = ("name",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("slug",) if obj else ()

    def create(self, request: HttpRequest, form: Any) -> Any:
        data = form.cleaned_data
        return services.organisation_create(
            actor=_actor(request), name=data["name"], slug=data["slug"]
        )


@admin.register(Programme)
class ProgrammeAdmin(_ServiceBackedAdmin):
    list_display = ("name", "organisation", "jurisdiction", "is_active")
    list_filter = ("is_active", "organisation")
    search_fields = ("name",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("slug", "organisation") if obj else ()

    def create(self, request: HttpRequest, form: Any) -> Any:
        data = form.cleaned_data
        return services.programme_create(
            actor=_actor(request),
            organisation=data["organisation"],
            name=data["name"],
            slug=data["slug"],
            jurisdiction=data.get("jurisdiction", ""),
        )


class _ReadOnlyConfigurationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A programme's configuration, for platform administrators to look at. It is changed
    on the programme's settings pages, through the services that validate, version and
    audit it; versions are never edited, so the admin offers no way to change anything."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ProgrammeSettings)
class ProgrammeSettingsAdmin(_ReadOnlyConfigurationAdmin):
    list_display = (
        "programme",
        "terminology",
        "assessment_validity_days",
        "consent_validity_days",
        "fast_track_enabled",
        "default_language",
    )


@admin.register(OffenceCategory)
class OffenceCategoryAdmin(_ReadOnlyConfigurationAdmin):
    list_display = ("name", "code", "programme", "is_sensitive", "allows_fast_track", "is_active")
    list_filter = ("programme", "is_sensitive", "is_active")


@admin.register(EligibilityPolicy)
class EligibilityPolicyAdmin(_ReadOnlyConfigurationAdmin):
    list_display = ("programme", "version", "created_by", "created_at")
    list_filter = ("programme",)


@admin.register(AssessmentTemplate)
class AssessmentTemplateAdmin(_ReadOnlyConfigurationAdmin):
    list_display = ("programme", "version", "medium_threshold", "high_threshold", "created_at")
    list_filter = ("programme",)


@admin.register(InformationSheet)
class InformationSheetAdmin(_ReadOnlyConfigurationAdmin):
    list_display = ("programme", "language", "version", "title", "created_at")
    list_filter = ("programme", "language")
