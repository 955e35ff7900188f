"""Who may see a claim: the one rule that decides whether an audience sees it.

A claim enters a memo in four ways: an explicit placement (a section's `claims`), a
`select`, a `claim()` or `cite()` call in prose, and as the other side of a "Sources
differ" remark. Everything else a memo says about claims (their notes, bibliography
entries, the keywords, the source summary, the banner, the manifest) is made from the
claims those four let in; the names that case its titles, from the markings it may
see. A draft claim (`draft: true`, not yet reviewed) no audience sees. Each of the
four asks `Visibility.hidden`, so a new audience filter is written
once, here, and cannot leak back in through another way.
"""

from __future__ import annotations

from ..readers.records import Audience, Claim
from ..readers.workspace import Workspace

ABOVE_MAX_MARKING = "above max-marking"
DRAFT = "still draft"  # captured, not yet reviewed: no audience sees them


class Visibility:
    """What one audience may see of a workspace's claims."""

    def __init__(self, ws: Workspace, audience: Audience) -> None:
        self.ws = ws
        self.audience = audience
        self.max_rank = (
            ws.marking_rank(audience.max_marking)
            if audience.max_marking
            else len(ws.settings.markings)
        )

    def hidden(self, claim: Claim) -> str | None:
        """Return why the audience may not see `claim`, as a build reports it, or None.

        The reason is what the build's "N claims left out (...)" line counts under.
        """
        if claim.draft:
            return DRAFT
        if not self.sees_marking(claim.marking):
            return ABOVE_MAX_MARKING
        return None

    def sees_marking(self, marking: str | None) -> bool:
        """Return whether the audience may see what is marked `marking`: claims, and
        what their text shapes elsewhere (the names a title is cased by)."""
        return self.ws.marking_rank(marking) <= self.max_rank

    def visible(self, claim: Claim) -> bool:
        """Return whether the audience may see `claim`."""
        return self.hidden(claim) is None

    def vouch(self, audience_id: str, shown: list[str]) -> None:
        """Fail if `shown`, the claims a memo holds, has one the audience may not see.

        Only a way into the memo that skips the resolver's check can cause it: a bug in
        briefgen, never the user's doing, so it fails loudly rather than as a user error.
        """
        leaked = [i for i in shown if not self.visible(self.ws.claims[i])]
        if leaked:
            raise RuntimeError(
                f"internal error: the memo for {audience_id} holds claims "
                f"it may not see: {', '.join(leaked)}"
            )
