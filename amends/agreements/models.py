"""Agreements, their items, payments and hours, and the outcome report (G11, G12)."""

from __future__ import annotations
