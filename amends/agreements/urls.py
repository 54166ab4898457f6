"""Agreement pages under /cases/<reference>/agreement/, the outcome report under
/cases/<reference>/outcome-report/, and a programme's list of other items."""

from django.urls import path

from amends.agreements.views import agreement, catalogue, documents, items

app_name = "agreements"

_BASE = "<str:reference>/agreement/"
_ITEM = f"{_BASE}items/<int:item_id>/"

urlpatterns = [
    path(_BASE, agreement.agreement_page, name="case"),
    path(f"{_BASE}new/", agreement.agreement_new, name="create"),
    path(f"{_BASE}<int:agreement_id>/items/add/", items.item_add, name="item_add"),
    path(f"{_BASE}<int:agreement_id>/pdf/", documents.agreement_pdf, name="pdf"),
    path(f"{_ITEM}consent/", agreement.item_consent, name="consent"),
    path(f"{_ITEM}confirm/", agreement.item_confirm, name="confirm"),
    path(f"{_ITEM}vary/", items.item_vary, name="vary"),
    path(f"{_ITEM}status/", agreement.item_status, name="status"),
    path(f"{_ITEM}payments/", agreement.item_payment, name="payment"),
    path(f"{_ITEM}hours/", agreement.item_hours, name="hours"),
    path(f"{_ITEM}refer-back/", agreement.item_refer_back, name="refer_back"),
    path(f"{_BASE}hours/<int:log_id>/verify/", agreement.hours_verify, name="verify"),
    path("<str:reference>/outcome-report/", documents.report_page, name="report"),
    path("<str:reference>/outcome-report/pdf/", documents.report_pdf, name="report_pdf"),
    path("<str:reference>/outcome-report/issue/", documents.report_issue, name="report_issue"),
    # Three segments: never mistaken for a case page ("<reference>/<page>/").
    path("catalogue/<slug:slug>/agreement-items/", catalogue.catalogue, name="catalogue"),
    path(
        "catalogue/<slug:slug>/agreement-items/<int:item_id>/offered/",
        catalogue.catalogue_offer,
        name="catalogue_offer",
    ),
]
