"""Which language a page is in, how complete each catalogue is, and recorded audio."""
