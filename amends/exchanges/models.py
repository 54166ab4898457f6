"""Indirect exchange: letters and messages relayed by a facilitator after review (DESIGN §2)."""

from __future__ import annotations
