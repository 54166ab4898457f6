"""The JSON API, version 1: read-only views over the same selectors and policies as the
pages (DESIGN §5). Signed-in staff use it with their session (second factor included);
each view checks the same policy action as its page and answers 404 for what the caller
may not know exists."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from amends.api.pagination import NewestFirst
from amends.api.serializers import (
    CaseDetailSerializer,
    CaseQuerySerializer,
    CaseSerializer,
    MyWorkSerializer,
)
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.listing import CaseSort, case_list_for_user, list_programmes_for_user
from amends.cases.models import Case, FacilitatorAssignment, Participant
from amends.cases.permissions import case_policy
from amends.core.permissions import get_for_user_or_404, require_page
from amends.tasks import selectors as task_selectors
from amends.tasks.permissions import task_policy


class ErrorSerializer(serializers.Serializer[Any]):
    """The one error shape (see amends.api.errors)."""

    error = serializers.DictField()


_REFUSALS = {
    400: OpenApiResponse(ErrorSerializer, description="A parameter is not valid."),
    403: OpenApiResponse(ErrorSerializer, description="Not signed in, or not allowed."),
    404: OpenApiResponse(ErrorSerializer, description="No such record that you may see."),
}


class CaseList(GenericAPIView[Case]):
    permission_classes = [IsAuthenticated]
    pagination_class = NewestFirst
    serializer_class = CaseSerializer

    @extend_schema(
        parameters=[CaseQuerySerializer],
        responses={200: CaseSerializer(many=True), **_REFUSALS},
        summary="The cases you work on, newest first, a page at a time",
    )
    def get(self, request: Request) -> Response:
        require_page(case_policy, request.user, "list")
        query = CaseQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters: dict[str, Any] = {
            "stage": query.validated_data["stage"],
            "overdue": query.validated_data["overdue"],
            "sort": CaseSort.OPENED,
        }
        slug = query.validated_data.get("programme")
        if slug:
            programme = list_programmes_for_user(request.user).filter(slug=slug).first()
            if programme is None:
                raise ValidationError({"programme": ["Not one of your programmes."]})
            filters["programme"] = programme
        cases = case_list_for_user(request.user, **filters).cases
        page = self.paginate_queryset(cases)
        # The stubs type a serializer's instance as one object even with many=True.
        rows = CaseSerializer(page or [], many=True, context={"request": request})  # type: ignore[arg-type]
        data = rows.data
        return self.get_paginated_response(data)


class CaseDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={200: CaseDetailSerializer, **_REFUSALS},
        summary="One case: where it stands, who works on it, the roles taking part",
    )
    def get(self, request: Request, reference: str) -> Response:
        case = get_for_user_or_404(case_policy, request.user, "view", reference=reference)
        case = (
            Case.objects.select_related("programme", "coordinator")
            .prefetch_related(
                Prefetch("participants", Participant.objects.only("id", "role", "case_id")),
                Prefetch(
                    "assignments",
                    FacilitatorAssignment.objects.select_related("facilitator").order_by("id"),
                ),
            )
            .get(pk=case.pk)
        )
        # As on the case page (DESIGN §4): every view of a case is audited.
        audit_record(
            actor=request.user,
            action=Action.CASE_VIEWED,
            target=case,
            programme=case.programme,
            data={"via": "api"},
        )
        return Response(CaseDetailSerializer(case, context={"request": request}).data)


class MyWork(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={200: MyWorkSerializer, **_REFUSALS},
        summary="What you must do: overdue, due today, and due in the next 14 days",
    )
    def get(self, request: Request) -> Response:
        require_page(task_policy, request.user, "my_work")
        work = task_selectors.my_work(request.user, timezone.localdate())
        return Response(MyWorkSerializer(work).data)


class Schema(SpectacularAPIView):
    """The OpenAPI 3 description of this API, for signed-in users (the project's view, so
    the role × endpoint matrix covers it)."""

    permission_classes = [IsAuthenticated]
