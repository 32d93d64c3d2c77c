"""The chat platforms by the names their requests, subscriptions and revisions carry: the core's one list of them.

The core never branches on one (tests/test_layering.py): trust is the request's `operator`, admins are the policy's
per platform, and each is shown by its catalogue name (`platform.<name>`). Only these lists of names are here.
"""

from __future__ import annotations

import re

# What each platform's user ids look like, so a mention (<@123>), a name or an address is refused where an id is
# wanted (an admin list, `store forget-user`) rather than matching nobody.
USER_IDS = {"discord": re.compile(r"[0-9]+"), "slack": re.compile(r"[UW][A-Z0-9]+")}
# The platforms whose channels get digests: what the operator names in `subscribe platform:`.
CHANNEL_PLATFORMS = tuple(USER_IDS)
