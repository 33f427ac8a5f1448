"""Review meetings beyond scheduling: the digest, the forms (self-review, draft, notes, pulse), jobs."""
