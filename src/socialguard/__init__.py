"""socialguard: an organisation's social media policy, made operational."""

__version__ = "0.1.0"
