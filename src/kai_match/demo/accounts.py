"""Console accounts of the demo district: one counsellor per site and an admin.

Their passwords are fixed and printed by ``serve --demo`` so that a newcomer can sign in at
once; they are demo data like the invented names, and a real deployment creates its accounts
with ``kai-match accounts create``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from kai_match.console.accounts import create_account
from kai_match.models.common import Site


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    role: str
    site: str | None
    password: str


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    *(
        DemoAccount(
            f"beratung.{site.value}",
            f"Beratung {site.value.capitalize()}",
            "counsellor",
            site.value,
            f"kai-demo-{site.value}",
        )
        for site in Site
    ),
    DemoAccount("verwaltung", "Verwaltung", "admin", None, "kai-demo-admin"),
)


def seed_demo_accounts(session: Session, *, cheap: bool = False) -> tuple[DemoAccount, ...]:
    for account in DEMO_ACCOUNTS:
        create_account(
            session,
            username=account.username,
            display_name=account.display_name,
            role=account.role,
            site=account.site,
            password=account.password,
            cheap=cheap,
        )
    return DEMO_ACCOUNTS
