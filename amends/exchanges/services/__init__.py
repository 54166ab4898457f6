"""Every write of the indirect exchange (CONVENTIONS "Services: the only writers").

- items: `exchange_item_create`, `exchange_item_update`, `exchange_item_submit`;
- review: `exchange_item_review`, `exchange_item_relay`, `exchange_item_record_read`;
- rounds: `shuttle_round_record`.
"""

from amends.exchanges.services.items import (
    exchange_item_create,
    exchange_item_submit,
    exchange_item_update,
)
from amends.exchanges.services.review import (
    exchange_item_record_read,
    exchange_item_relay,
    exchange_item_review,
)
from amends.exchanges.services.rounds import shuttle_round_record

__all__ = [
    "exchange_item_create",
    "exchange_item_record_read",
    "exchange_item_relay",
    "exchange_item_review",
    "exchange_item_submit",
    "exchange_item_update",
    "shuttle_round_record",
]
