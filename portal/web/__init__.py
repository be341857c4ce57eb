"""Everything that answers an HTTP request: the respondent journey, the team's screens, sign-in,
and the request plumbing (errors, headers, CSRF, rate limits, templates)."""
