"""Personal data: email addresses, phone numbers (validated with `phonenumbers`), National
Insurance numbers and UK postcodes (by their format rules), street addresses and dates of birth."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import phonenumbers

from socialguard.rules.detectors import Hit

if TYPE_CHECKING:
    from socialguard.rules.analysis import Analysis

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
# An address with "@" and "." spelt or spaced out: the "at" and "dot" must be bracketed, or the
# "@" and "." written with spaces round them, so "meet at the station" never reads as one.
AT_OR_DOT = re.compile(r"\s*(?:[\[({<]\s*(?:at|dot)\s*[\])}>]|@|\.)\s*", re.I)
EMAIL_SPELT = re.compile(
    r"(?<![\w.+-])[\w.+-]+\s*(?:[\[({<]\s*at\s*[\])}>]|@)\s*[A-Za-z0-9-]+"
    r"(?:\s*(?:[\[({<]\s*dot\s*[\])}>]|\.)\s*[A-Za-z0-9-]+)*\s*(?:[\[({<]\s*dot\s*[\])}>]|\s\.\s?|\.\s)\s*"
    r"(?:com|org|net|uk|io|co|edu|gov|me|info|ac)\b",
    re.I,
)
PHONE_CANDIDATE = re.compile(r"(?<![\w+])(?:\+|00)?\d[\d \-().]{7,17}\d(?!\w)")
# HMRC: two prefix letters (not D, F, I, Q, U, V; second not O; not BG, GB, KN, NK, NT, TN, ZZ),
# six digits, suffix A-D.
NINO = re.compile(
    r"\b(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b", re.I
)
# UK postcode format: outward code (area letters, district) and inward code (sector digit, unit).
POSTCODE = re.compile(
    r"\b(?:GIR ?0AA|(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]) ?[0-9][ABD-HJLNP-UW-Z]{2})\b",
    re.I,
)
STREET = re.compile(
    r"\b\d{1,4}[a-z]?,? (?:[A-Z][a-z]+ ){1,3}(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Way|"
    r"Crescent|Court|Place|Grove|Gardens|Terrace|Hill|Park|Square|View|Walk)\b"
)
DATE = re.compile(
    r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d{2}|(?:19|20)\d{2}-\d{2}-\d{2}|"
    r"\d{1,2}(?:st|nd|rd|th)? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* (?:19|20)\d{2})\b",
    re.I,
)
DIGIT = re.compile(r"\d")
BIRTH_WORDS = re.compile(r"\b(?:d\.?o\.?b|date of birth|born|birthday|birth date)\b", re.I)
# A UK mobile number as people write it (07xxx xxxxxx, +44 7xxx …). Ofcom's ranges kept for drama
# (07700 900xxx) fail libphonenumber's validity test but are still, in a post, somebody's mobile.
UK_MOBILE = re.compile(r"^(?:\+44\s?|0044\s?|0)7\d{3}[\s-]?\d{3}[\s-]?\d{3}$")
# A learner, student or candidate number: six or more digits right after the word.
LEARNER_ID = re.compile(
    r"\b(?:learner|student|candidate|enrolment|uln|learner id|student id)(?: (?:id|no\.?|number|ref))?"
    r"[\s#:]*(\d{6,12})\b",
    re.I,
)


# Separators phones and word processors type that the pattern's ASCII ones stand for: no-break and
# thin spaces, and the dashes autocorrect makes ("07912\u00a0345678", "07912–345678" hid a number).
PHONE_SEPARATORS = str.maketrans(
    dict.fromkeys("\u00a0\u2007\u2009\u202f\u3000", " ")
    | dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-")
)


# Numbers no person has as their own: Childline's 0800 1111, a 0808 helpline, a 0345 or 09 line.
SERVICE_NUMBERS = frozenset(
    {
        phonenumbers.PhoneNumberType.TOLL_FREE,
        phonenumbers.PhoneNumberType.SHARED_COST,
        phonenumbers.PhoneNumberType.PREMIUM_RATE,
        phonenumbers.PhoneNumberType.UAN,
    }
)


class PersonalDataDetector:
    name: str = "personal-data"
    kinds: tuple[str, ...] = (
        "pii:email",
        "pii:phone",
        "pii:nino",
        "pii:postcode",
        "pii:address",
        "pii:date_of_birth",
        "pii:learner_id",
    )

    def __init__(self, region: str = "GB") -> None:
        self.region = region

    def detect(self, analysis: Analysis) -> None:
        text = analysis.text.original
        if "@" in text:
            for m in EMAIL.finditer(text):
                analysis.add(Hit("pii:email", m.start(), m.end(), m.group(0).lower()))
        if "@" in text or "(" in text or "[" in text or "{" in text or "<" in text:
            # Spelt out to get past a filter: "jamie.smith [at] gmail [dot] com", "jo@gmail . com".
            for m in EMAIL_SPELT.finditer(text):
                if not EMAIL.fullmatch(m.group(0)):
                    address = AT_OR_DOT.sub(
                        lambda d: "@" if "at" in d.group(0).lower() or "@" in d.group(0) else ".", m.group(0)
                    )
                    analysis.add(Hit("pii:email", m.start(), m.end(), "".join(address.split()).lower()))
        digits = len(DIGIT.findall(text))
        if digits >= 6:
            self._phones(analysis, text)
            for m in NINO.finditer(text):
                analysis.add(Hit("pii:nino", m.start(), m.end(), m.group(0).upper().replace(" ", "")))
            for m in LEARNER_ID.finditer(text):
                analysis.add(Hit("pii:learner_id", m.start(), m.end(), m.group(1)))
        if digits:
            for m in POSTCODE.finditer(text):
                analysis.add(Hit("pii:postcode", m.start(), m.end(), m.group(0).upper()))
            for m in STREET.finditer(text):
                analysis.add(Hit("pii:address", m.start(), m.end(), m.group(0)))
            if BIRTH_WORDS.search(text):
                for m in DATE.finditer(text):
                    window = text[max(0, m.start() - 40) : m.end() + 20]
                    if BIRTH_WORDS.search(window):
                        analysis.add(Hit("pii:date_of_birth", m.start(), m.end(), m.group(0)))

    def _phones(self, analysis: Analysis, text: str) -> None:
        if not text.isascii():
            text = text.translate(PHONE_SEPARATORS)  # one character for one: spans stand
        for m in PHONE_CANDIDATE.finditer(text):
            candidate = m.group(0)
            if DATE.fullmatch(candidate.strip()):
                continue
            try:
                number = phonenumbers.parse(candidate, self.region)
            except phonenumbers.NumberParseException:
                continue
            mobile = bool(UK_MOBILE.match(candidate.strip()))
            if mobile or phonenumbers.is_valid_number(number):
                formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
                kind = phonenumbers.number_type(number)
                mobile = mobile or kind == phonenumbers.PhoneNumberType.MOBILE
                # detail: "mobile" (someone's own phone), "service" (freephone, shared-cost or
                # premium-rate: a helpline's or a business's, never a person's) or "fixed" (a landline,
                # a home's or a switchboard's)
                detail = "mobile" if mobile else "service" if kind in SERVICE_NUMBERS else "fixed"
                analysis.add(Hit("pii:phone", m.start(), m.end(), formatted, detail))
