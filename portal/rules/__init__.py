"""The rules of the work: which forms a review gets and when they are due, links, responses,
safeguarding alerts, retention. Called by the web pages and the command line alike."""
