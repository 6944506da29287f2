"""The context every rule example is checked against: a small DMM-like organisation."""

from socialguard.rules.model import PolicyContext, RegisterPerson

DISCLAIMER = (
    "The views expressed are my own and do not necessarily reflect the views of Digital Marketing Mentor."
)

EXAMPLE_CONTEXT = PolicyContext(
    organisation_names=["Digital Marketing Mentor", "DMM"],
    organisation_handles=["@DMMentorUK", "digitalmarketingmentor.co.uk"],
    register=[
        RegisterPerson("Jamie Fletcher", ("@jamief_22",), "learner"),
        RegisterPerson("Priya Nair", ("@priyanair",), "past_learner"),
        RegisterPerson("Sandra Fletcher", (), "guardian"),
    ],
    staff_names=["Tom Bradley", "Helen Carter"],
    allowed_domains=["gov.uk", "digitalmarketingmentor.co.uk", "linkedin.com", "bbc.co.uk"],
    confidential_terms=["Project Falcon", "Ofsted grading draft"],
    approved_platforms=["LinkedIn", "X", "Instagram", "Facebook"],
    disclaimer=DISCLAIMER,
)
