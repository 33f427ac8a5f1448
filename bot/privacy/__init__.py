"""Privacy: what Rapport holds about a person (export), removing it (erasure, retention), and the audit
trail of who looked at whose data."""
