"""Link tokens, short codes, password hashes and secrets kept at rest."""
