"""Meetings, venues, invitations and session records (DESIGN §2 Meeting; G7, G8, G9, G10)."""

from __future__ import annotations
