from django.urls import path

from amends.cases.views import advocacy, case, listing, participants

app_name = "cases"
urlpatterns = [
    path("", listing.case_list, name="list"),
    # Before "<reference>/": "supporting" must never be read as a case reference.
    path("supporting/", advocacy.supported_list, name="supported"),
    path("<str:reference>/", case.case_detail, name="detail"),
    path("<str:reference>/move/", case.case_move, name="move"),
    path("<str:reference>/pause/", case.case_pause, name="pause"),
    path("<str:reference>/resume/", case.case_resume, name="resume"),
    path("<str:reference>/close/", case.case_close, name="close"),
    path("<str:reference>/plan/", case.case_plan, name="plan"),
    path("<str:reference>/facilitators/", case.case_assign, name="assign"),
    path("<str:reference>/coordinator/", case.case_coordinator, name="coordinator"),
    path("<str:reference>/participants/add/", participants.participant_add, name="participant_add"),
    path(
        "<str:reference>/participants/<int:participant_id>/",
        participants.participant_detail,
        name="participant",
    ),
    path(
        "<str:reference>/participants/<int:participant_id>/contact/",
        participants.contact_add,
        name="contact_add",
    ),
    path(
        "<str:reference>/participants/<int:participant_id>/channels/",
        participants.channel_add,
        name="channel_add",
    ),
    path(
        "<str:reference>/participants/<int:participant_id>/information/",
        participants.information_add,
        name="information_add",
    ),
    path(
        "<str:reference>/participants/<int:participant_id>/acknowledgment/",
        participants.acknowledgment_add,
        name="acknowledgment_add",
    ),
    path(
        "<str:reference>/participants/<int:participant_id>/birth-date/",
        participants.birth_date_set,
        name="birth_date",
    ),
    path(
        "<str:reference>/participants/<int:participant_id>/facilitator-preference/",
        participants.facilitator_preference_set,
        name="facilitator_preference",
    ),
    path(
        "<str:reference>/participants/<int:participant_id>/advocate/",
        participants.advocate_set,
        name="advocate",
    ),
    path(
        "<str:reference>/participants/<int:participant_id>/conflict/",
        participants.conflict_declare,
        name="conflict_declare",
    ),
]
