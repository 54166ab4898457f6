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
        from amends.accounts.mfa import rotate_second_factor_secrets
        from amends.crypto.rotation import register_rotation

        register_rotation("mfa_authenticator.data", rotate_second_factor_secrets)
