"""The IRO team's accounts: who may see what, sign-in sessions, and the audit log."""
