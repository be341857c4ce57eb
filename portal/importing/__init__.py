"""Imports from CSV: invitations (sent and returned forms) and historical or paper responses.

All or nothing: every row is checked first; one bad row imports nothing and every problem is
reported as `line N: reason`. Re-importing the same file changes nothing.
"""

from __future__ import annotations

from portal.importing.csvfile import ImportError_, ImportSummary

__all__ = ["ImportError_", "ImportSummary"]
