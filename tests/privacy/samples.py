"""Connection exports in the platforms' exact public shapes, with distinctive names that a test
can search for after a request to prove nothing of them was stored."""

from __future__ import annotations

import json

LINKEDIN = (
    b"Notes:\n"
    b'"When exporting your connection data, you may notice that some of the email addresses are missing. '
    b"You will only see email addresses for connections who have allowed their connections to see or "
    b"download their email address using this setting https://www.linkedin.com/psettings/privacy/email. "
    b'You can learn more here https://www.linkedin.com/help/linkedin/answer/261"\n'
    b"\n"
    b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    b"Zebedee,Quillfeather,https://www.linkedin.com/in/zebedee-quillfeather-1a2b3c,,Acme Ltd,Engineer,12 Mar 2024\n"
    b"Dan,Young,https://www.linkedin.com/in/dan-young-99,dan@example.com,Acme Ltd,Apprentice,01 Feb 2025\n"
    b'"Fay","Young",https://www.linkedin.com/in/fayyoung,,"Young, Young & Co",Director,03 Jan 2023\n'
)


def facebook(names: list[str]) -> bytes:
    """Facebook's own escaping: each UTF-8 byte of a non-ASCII name as its own \\u00XX escape."""
    friends = [
        {"name": n.encode("utf-8").decode("latin-1"), "timestamp": 1700000000 + i}
        for i, n in enumerate(names)
    ]
    return json.dumps({"friends_v2": friends}).encode()


FACEBOOK = facebook(["Xanthippe Moonwhistle", "Dän Yöung", "Eve Former"])


def instagram_followers(handles: list[str]) -> bytes:
    return json.dumps(
        [
            {
                "title": "",
                "media_list_data": [],
                "string_list_data": [
                    {"href": f"https://www.instagram.com/{h}", "value": h, "timestamp": 1700000000}
                ],
            }
            for h in handles
        ]
    ).encode()


def instagram_following(handles: list[str]) -> bytes:
    return json.dumps(
        {
            "relationships_following": [
                {
                    "title": "",
                    "media_list_data": [],
                    "string_list_data": [
                        {"href": f"https://www.instagram.com/{h}", "value": h, "timestamp": 1700000000}
                    ],
                }
                for h in handles
            ]
        }
    ).encode()


def x_archive(kind: str, ids: list[str]) -> bytes:
    items = [
        {kind: {"accountId": i, "userLink": f"https://twitter.com/intent/user?user_id={i}"}} for i in ids
    ]
    return (f"window.YTD.{kind}.part0 = " + json.dumps(items, indent=2)).encode()
