"""Follow-up check-ins and surveys after the process (DESIGN §2 Follow-up)."""

from __future__ import annotations
