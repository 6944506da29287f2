"""The privacy and footprint checklist, per platform ("Managing your personal use of social
media" and 5.2). Each item says where the setting is, so a busy person can do it on a phone."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    key: str
    text: str


COMMON = [
    Item("email", "I did not sign up with my work email address (5.2); if I did, I have changed it."),
    Item("branding", "My profile shows no Digital Marketing Mentor logo or branding."),
    Item(
        "footprint",
        "I searched for my own name and removed anything that could reflect badly on me or the organisation.",
    ),
]
PLATFORMS: dict[str, tuple[str, list[Item]]] = {
    "facebook": (
        "Facebook",
        [
            Item("audience", "Settings > Privacy: future posts are for Friends, and I limited past posts."),
            Item(
                "friends_list",
                "Settings > How people find and contact you: my friends list is visible only to me.",
            ),
            Item(
                "tagging",
                "Settings > Profile and tagging: I review posts and tags before they appear on my profile.",
            ),
            Item("location", "Location history and location on posts are off."),
        ],
    ),
    "instagram": (
        "Instagram",
        [
            Item("private", "Settings > Account privacy: my account is private."),
            Item("tagging", "Settings > Tags and mentions: I approve tags manually."),
            Item("location", "I do not add locations to posts or stories, and location access is off."),
            Item("followers", "I checked my followers and removed learners and their parents."),
        ],
    ),
    "x": (
        "X (Twitter)",
        [
            Item(
                "protect",
                "Settings > Privacy and safety > Audience: I decided whether my posts are protected.",
            ),
            Item("tagging", "Photo tagging is off or limited to people I follow."),
            Item("location", "Location information on posts is off."),
            Item("discoverability", "Discoverability by email and phone number is off."),
        ],
    ),
    "linkedin": (
        "LinkedIn",
        [
            Item("connections", "Settings > Visibility: only I can see my connections."),
            Item("profile", "My public profile shows only what I want employers and learners to see."),
            Item(
                "email", "Settings > Visibility: my email address is visible to no one or connections only."
            ),
        ],
    ),
    "tiktok": (
        "TikTok",
        [
            Item("private", "Settings > Privacy: my account is private."),
            Item("suggest", "“Suggest your account to others” is off (contacts, mutual connections)."),
            Item("following", "My following list is visible only to me."),
        ],
    ),
}


def items_for(platform: str) -> list[Item]:
    return PLATFORMS[platform][1] + COMMON
