"""Who may change which staff account — the one place for the grant rule (SECURITY.md, "Accounts").

Roles that open confidential complaint data (officer, executive, oversight) are never granted by admin
(the IT clerk, deliberately kept out of confidential cases) alone:

- the command line (the server's operator, at install) may do anything;
- an account that is or becomes an *oversight* officer is changed only by the command line or another
  oversight officer — the executive, whom that officer oversees, cannot make one for a friend;
- anything that *opens* an officer or executive account (create, grant the role, set its password, issue
  it an API token, reactivate it, edit it) needs the executive (so an oversight officer cannot turn an
  oversight account into an officer's either: only the command line can);
- everything else — admin and counter accounts, and *closing* an account (deactivate, revoke a token,
  move it to a role without confidential access) — admin or the executive.

Closing actions are still subject to the complaint desk's own invariants (a case never left with nobody
who can act on it), which it checks through the ``account.changed`` hook (tambon/events.py).
"""

from __future__ import annotations

from typing import Protocol

from tambon.auth.models import CONFIDENTIAL_ROLES, Role

# Actions that only take access away.
CLOSING_ACTIONS = frozenset({"deactivate", "token_revoke"})
ACTIONS = frozenset({"create", "edit", "role", "password", "activate", "token_create"}) | CLOSING_ACTIONS
# Pages that manage accounts: each of these roles sees the page, and may do there what may_change allows.
MANAGER_ROLES = (Role.ADMIN, Role.EXECUTIVE, Role.OVERSIGHT)


class CommandLine:
    """The operator at the server's command line (`tambon user …`): trusted, as they hold the database."""

    id = None
    role = "cli"

    def __repr__(self) -> str:
        return "CLI"


CLI = CommandLine()


class Actor(Protocol):
    @property
    def id(self) -> int | None: ...

    @property
    def role(self) -> str: ...


def may_change(actor: Actor, action: str, role_before: str | None, role_after: str | None) -> bool:
    """May ``actor`` do ``action`` to an account whose role is ``role_before`` (None: a new account) and
    will be ``role_after``?"""
    if action not in ACTIONS:
        raise ValueError(f"unknown account action {action!r}")
    if actor is CLI:
        return True
    if not getattr(actor, "active", True):
        return False
    oversight_account = Role.OVERSIGHT in (role_before, role_after)
    if oversight_account and actor.role != Role.OVERSIGHT:
        return False
    if action not in CLOSING_ACTIONS and role_after in CONFIDENTIAL_ROLES:  # opens confidential data
        return actor.role == (Role.OVERSIGHT if role_after == Role.OVERSIGHT else Role.EXECUTIVE)
    return oversight_account or actor.role in (Role.ADMIN, Role.EXECUTIVE)


def grantable_roles(actor: Actor) -> list[str]:
    """The roles ``actor`` may give a new account (for the forms), least privileged first."""
    order = (Role.COUNTER, Role.ADMIN, Role.OFFICER, Role.EXECUTIVE, Role.OVERSIGHT)
    return [r.value for r in order if may_change(actor, "create", None, r)]
