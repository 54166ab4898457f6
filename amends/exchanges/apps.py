from django.apps import AppConfig


class ExchangesConfig(AppConfig):
    name = "amends.exchanges"
    label = "exchanges"
    verbose_name = "Exchanges"
