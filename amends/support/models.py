"""Onward support: the partner directory and referrals to partners (DESIGN §2)."""

from __future__ import annotations
