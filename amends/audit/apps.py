from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "amends.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        # The SQLite delete trigger asks a function registered on each connection whether
        # a flush is under way (see amends/audit/flush.py); it must be in place before the
        # first query, so it is wired here rather than left to an import side effect.
        from amends.audit import flush

        flush.connect()
