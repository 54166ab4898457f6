"""Every write to organisations, programmes and a programme's configuration.

Organisations and programmes are created and changed by platform administrators
(`programmes`); a programme's settings, offence taxonomy and versioned policies,
templates and information sheets by its administrators and supervisors
(`configuration`, `versions`); a new programme gets working defaults (`setup`).
"""

from amends.programmes.services.configuration import (
    offence_category_add,
    offence_category_update,
    programme_settings_update,
)
from amends.programmes.services.programmes import (
    organisation_create,
    programme_create,
    record_update,
)
from amends.programmes.services.setup import programme_setup_defaults
from amends.programmes.services.versions import (
    assessment_template_publish,
    eligibility_policy_publish,
    information_sheet_publish,
)

__all__ = [
    "assessment_template_publish",
    "eligibility_policy_publish",
    "information_sheet_publish",
    "offence_category_add",
    "offence_category_update",
    "organisation_create",
    "programme_create",
    "programme_setup_defaults",
    "programme_settings_update",
    "record_update",
]
