"""Keyset (cursor) pages for API lists: the cursor carries the last row's position, so
page 10,000 costs what page 1 does (no OFFSET), and rows added meanwhile never shift a
page. DRF signs nothing here; a hand-made cursor can only move within what the caller
may already see, and a malformed one answers 404 in the one error shape."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination


class NewestFirst(CursorPagination):
    page_size = 25
    page_size_query_param = "per_page"
    max_page_size = 100
    # A unique last column, so two rows opened in the same instant never share a place.
    ordering = ("-created_at", "-id")
