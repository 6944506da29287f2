"""An organisational account's connector: whether its platform has one, and the credentials it
signs in with (the app password from the vault). Publishing, takedowns and monitoring all ask
here, so that none of them imports another."""

from __future__ import annotations

from typing import Any

from socialguard.accounts import vault
from socialguard.connectors import base as connectors


def has_connector(platform: str) -> bool:
    return connectors.factory_for(platform) is not None


def credentials_for(account: Any) -> connectors.Credentials | None:
    secret = vault.secret_open_for_connector(account=account)
    if secret is None:
        return None
    return connectors.Credentials(
        identifier=account.handle.lstrip("@"), secret=secret, service=account.service_url
    )
