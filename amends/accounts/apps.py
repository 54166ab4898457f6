from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "amends.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        # Sign-in, sign-out, failures, lockouts and second-factor changes are only
        # announced through allauth's, Django's and axes' signals; the receivers call
        # the audit service and nothing else.
        from amends.accounts import receivers  # noqa: F401
