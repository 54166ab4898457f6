from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "amends.agreements"
    label = "agreements"
    verbose_name = "Agreements"
