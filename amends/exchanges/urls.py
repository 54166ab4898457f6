"""The case's indirect exchange, under /cases/<reference>/exchange/."""

from django.urls import path

from amends.exchanges import views

app_name = "exchanges"

_BASE = "<str:reference>/exchange/"
_ITEM = f"{_BASE}<int:item_id>/"

urlpatterns = [
    path(_BASE, views.exchange_case, name="case"),
    path(f"{_BASE}new/", views.item_add, name="item_add"),
    path(f"{_BASE}rounds/", views.round_add, name="round_add"),
    path(_ITEM, views.item_detail, name="item"),
    path(f"{_ITEM}edit/", views.item_edit, name="item_edit"),
    path(f"{_ITEM}submit/", views.item_submit, name="item_submit"),
    path(f"{_ITEM}review/", views.item_review, name="item_review"),
    path(f"{_ITEM}relay/", views.item_relay, name="item_relay"),
    path(f"{_ITEM}read/", views.item_read, name="item_read"),
    path(f"{_ITEM}file/", views.item_file, name="item_file"),
]
