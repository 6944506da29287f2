"""Files kept by socialguard (case evidence, signed consent forms, post media), written and read
through Django's STORAGES (settings: `evidence` and `media`), so that a deployment can keep them
in an S3-compatible store by settings alone (docs/deploy.md, Files). `backends` holds the
owner-only local default; `sealed` the encrypted files (evidence and consent forms)."""
