"""Connectors to social media platforms: publish, delete, read back, search, look up.

Framework-free (no Django), like the rules engine: a connector is given credentials and data and
returns data. The content app decides what to publish and records what happened; a connector only
talks to the platform. Platforms without a connector use the manual path (a runner publishes the
approved text and records the link).
"""

from socialguard.connectors.base import (
    AccountInfo,
    AuthenticationFailed,
    Connector,
    ConnectorError,
    Credentials,
    MediaUpload,
    NotFound,
    OutgoingPost,
    PlatformPost,
    PlatformUnavailable,
    PostRejected,
    PublishedRecord,
    connector_for,
    factory_for,
    register_connector,
    supported_platforms,
)

__all__ = [
    "AccountInfo",
    "AuthenticationFailed",
    "Connector",
    "ConnectorError",
    "Credentials",
    "MediaUpload",
    "NotFound",
    "OutgoingPost",
    "PlatformPost",
    "PlatformUnavailable",
    "PostRejected",
    "PublishedRecord",
    "connector_for",
    "factory_for",
    "register_connector",
    "supported_platforms",
]
