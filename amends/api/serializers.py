"""What the API shows of a case: the plain columns the case list shows, and no personal
data (names, contact details and notes stay on the pages, where each view is audited
per person). Read-only: writes go through the services, and the API has none yet."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from amends.cases.listing import STAGE_ANY, STAGE_OPEN
from amends.cases.models import Case
from amends.cases.stages import CaseStage


class CaseQuerySerializer(serializers.Serializer[dict[str, Any]]):
    """The list's filters, checked before anything is queried."""

    programme = serializers.SlugField(
        required=False, help_text=_("A programme's slug; only your programmes are accepted.")
    )
    stage = serializers.ChoiceField(
        choices=[STAGE_OPEN, STAGE_ANY, *CaseStage.values],
        required=False,
        default=STAGE_OPEN,
        allow_blank=True,
        help_text=_("A stage; empty for every open case, 'any' for closed cases too."),
    )
    overdue = serializers.BooleanField(
        required=False, default=False, help_text=_("Only cases whose next action is overdue.")
    )


class CaseSerializer(serializers.Serializer[Case]):
    reference = serializers.CharField()
    programme = serializers.CharField(source="programme.slug")
    stage = serializers.CharField()
    stage_label = serializers.CharField(source="get_stage_display")
    paused_from = serializers.CharField()
    process_type = serializers.CharField()
    sensitive = serializers.BooleanField(source="is_sensitive")
    next_action = serializers.CharField()
    next_action_due = serializers.DateField(allow_null=True)
    overdue = serializers.SerializerMethodField()
    opened_at = serializers.DateTimeField(source="created_at")
    closed_at = serializers.DateTimeField(allow_null=True)
    coordinator = serializers.SerializerMethodField()
    page = serializers.SerializerMethodField(help_text=_("The case's page in Amends."))

    def get_overdue(self, case: Case) -> bool:
        return bool(getattr(case, "is_overdue", False))

    def get_coordinator(self, case: Case) -> str | None:
        coordinator = case.coordinator
        if coordinator is None:
            return None
        return str(coordinator.full_name or coordinator.email)

    def get_page(self, case: Case) -> str:
        request = self.context["request"]
        return str(request.build_absolute_uri(reverse("cases:detail", args=[case.reference])))


class ParticipantRoleSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    role = serializers.CharField()


class CaseDetailSerializer(CaseSerializer):
    closure_reason = serializers.CharField()
    region = serializers.CharField()
    participants = ParticipantRoleSerializer(many=True, read_only=True)
    facilitators = serializers.SerializerMethodField()

    def get_facilitators(self, case: Case) -> list[str]:
        return [
            str(assignment.facilitator.full_name or assignment.facilitator.email)
            for assignment in case.assignments.all()
        ]


class WorkItemSerializer(serializers.Serializer[Any]):
    title = serializers.CharField()
    due_on = serializers.DateField()
    days_late = serializers.IntegerField()
    case_reference = serializers.CharField()
    programme = serializers.CharField(source="programme_name")
    kind = serializers.CharField(source="kind_label")
    task_id = serializers.IntegerField(allow_null=True)


class MyWorkSerializer(serializers.Serializer[Any]):
    overdue = WorkItemSerializer(many=True)
    due_today = WorkItemSerializer(many=True)
    upcoming = WorkItemSerializer(many=True)
