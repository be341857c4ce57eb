"""Getting forms to people: email, the scheduled send, printed letters and QR codes."""
