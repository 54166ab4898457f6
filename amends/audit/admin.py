"""The audit log in the Django admin: read-only, for platform administrators.

The admin's pages are audited like the viewer's: showing the list or one event records an
"audit log viewed" event.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.http import HttpRequest, HttpResponse

from amends.audit.actions import Action
from amends.audit.models import AuditEvent
from amends.audit.services import audit_record


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = ["id", "occurred_at", "actor_label", "action", "target_type", "target_id"]
    list_filter = ["action"]
    list_select_related = ["programme"]
    # An exact count of tens of millions of rows is slow and tells an administrator
    # nothing the filters do not.
    show_full_result_count = False
    readonly_fields = [field.name for field in AuditEvent._meta.fields]

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

    # Viewing is audited from hooks inside Django's own views rather than by overriding
    # changelist_view/change_view: the admin's URLs stay Django's, with the admin's
    # own permission handling (which the role × endpoint matrix does not model).
    def get_changelist_instance(self, request: HttpRequest) -> ChangeList:
        changelist = super().get_changelist_instance(request)
        audit_record(
            actor=request.user,
            action=Action.AUDIT_VIEWED,
            data={"admin": "list", "filters": dict(request.GET.items())},
        )
        return changelist

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: AuditEvent | None = None,
    ) -> HttpResponse:
        if obj is not None:
            audit_record(
                actor=request.user,
                action=Action.AUDIT_VIEWED,
                data={"admin": "event", "event": obj.pk},
            )
        return super().render_change_form(request, context, add, change, form_url, obj)
