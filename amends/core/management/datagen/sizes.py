"""How much data each size makes. Everything is derived from the number of cases."""

from __future__ import annotations

from dataclasses import dataclass

# Named sizes (issue 6): S for CI and the harness, M for SQLite, XL for PostgreSQL.
NAMED_CASES: dict[str, int] = {"S": 10_000, "M": 100_000, "XL": 1_000_000}


@dataclass(frozen=True)
class Size:
    label: str
    cases: int
    programmes: int
    organisations: int
    staff: int
    facilitators: int
    # Ten years of history ending today.
    years: int = 10


def size_for(label: str | None, cases: int | None) -> Size:
    """The size for a named size or an explicit number of cases (one of the two)."""
    if cases is None:
        if label is None or label not in NAMED_CASES:
            raise ValueError(f"Unknown size {label!r}; choose one of S, M, XL.")
        cases = NAMED_CASES[label]
    if cases < 20:
        raise ValueError("Generate at least 20 cases (every stage must be represented).")
    programmes = 6 if cases <= 20_000 else 12 if cases <= 200_000 else 40
    programmes = min(programmes, max(2, cases // 25))
    # Staff and facilitators grow with the caseload: XL has 5k staff and 20k facilitators.
    staff = max(16, cases // 200)
    facilitators = max(12, cases // 50)
    return Size(
        label=label or f"{cases} cases",
        cases=cases,
        programmes=programmes,
        organisations=min(programmes, max(2, programmes // 4)),
        staff=staff,
        facilitators=facilitators,
    )
